using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace LlmGate.Pricing;

/// <summary>
/// Prices by model name, read from a file in the format of LiteLLM's <c>model_prices_and_context_window.json</c>: an
/// object of model name → fields. <c>sample_spec</c> and keys starting with <c>_</c> are not models; an entry with
/// no price LlmGate reads (per token, image, pixel, character or rerank query; audio seconds are not read) is left out.
/// </summary>
internal sealed class PriceTable
{
    private const string ResourceName = "LlmGate.Pricing.model_prices.json";

    private static readonly Lazy<PriceTable> BuiltInTable = new(LoadBuiltIn);

    private readonly FrozenDictionary<string, ModelPrice> _prices;

    private PriceTable(FrozenDictionary<string, ModelPrice> prices) => _prices = prices;

    /// <summary>The table shipped in the binary (<c>Pricing/model_prices.json</c>).</summary>
    public static PriceTable BuiltIn => BuiltInTable.Value;

    public int Count => _prices.Count;

    public ModelPrice? Find(string model) => _prices.GetValueOrDefault(model);

    /// <summary>Reads a table; throws <see cref="PriceTableException"/> naming <paramref name="source"/> when it cannot be used.</summary>
    public static PriceTable Parse(ReadOnlyMemory<byte> json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException exception)
        {
            throw new PriceTableException($"{source}: not valid JSON (line {exception.LineNumber + 1}): {exception.Message}", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PriceTableException($"{source}: expected an object of model name → prices, as in LiteLLM's model_prices_and_context_window.json");
            }

            var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name.StartsWith('_') || entry.Name == "sample_spec" || entry.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (ReadEntry(entry.Value, source, entry.Name) is { } price)
                {
                    prices[entry.Name] = price;
                }
            }

            if (prices.Count == 0)
            {
                throw new PriceTableException($"{source}: no model with input_cost_per_token or output_cost_per_token (or a per-image, per-character, per-query or per-second price); expected LiteLLM's model_prices_and_context_window.json format");
            }

            return new PriceTable(prices.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }

    private static ModelPrice? ReadEntry(JsonElement entry, string source, string model)
    {
        var input = Cost(entry, "input_cost_per_token", source, model);
        var output = Cost(entry, "output_cost_per_token", source, model);
        var perImage = Sum(Cost(entry, "input_cost_per_image", source, model), Cost(entry, "output_cost_per_image", source, model));
        var perPixel = Sum(Cost(entry, "input_cost_per_pixel", source, model), Cost(entry, "output_cost_per_pixel", source, model));
        var perCharacter = Cost(entry, "input_cost_per_character", source, model);
        var perQuery = Cost(entry, "input_cost_per_query", source, model);
        var perSecond = Configuration.PricingFields.PerSecond(Cost(entry, "output_cost_per_second", source, model), Cost(entry, "input_cost_per_second", source, model));
        if (input is null && output is null && perImage is null && perPixel is null && perCharacter is null && perQuery is null && perSecond is null)
        {
            return null;
        }

        return new ModelPrice
        {
            CostPerImage = perImage ?? 0,
            CostPerPixel = perPixel ?? 0,
            InputCostPerCharacter = perCharacter ?? 0,
            InputCostPerQuery = perQuery ?? 0,
            CostPerSecond = perSecond ?? 0,
            // One side missing costs 0, as in LiteLLM.
            InputCostPerToken = input ?? 0,
            OutputCostPerToken = output ?? 0,
            CacheReadInputTokenCost = Cost(entry, "cache_read_input_token_cost", source, model),
            CacheCreationInputTokenCost = Cost(entry, "cache_creation_input_token_cost", source, model),
            MaxInputTokens = Limit(entry, "max_input_tokens"),
            MaxOutputTokens = Limit(entry, "max_output_tokens") ?? Limit(entry, "max_tokens"),
        };
    }

    // A wrong price would be charged to every key that calls the model, so a bad one rejects the file.
    private static double? Cost(JsonElement entry, string field, string source, string model)
    {
        if (!entry.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var number = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out var n) ? n : double.NaN,
            JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : double.NaN,
            _ => double.NaN,
        };
        if (!double.IsFinite(number) || number < 0)
        {
            throw new PriceTableException($"{source}: '{model}'.{field} must be a cost in USD, a number >= 0 (is {value.GetRawText()})");
        }

        return number;
    }

    private static double? Sum(double? a, double? b) => a is null ? b : b is null ? a : a + b;

    // LiteLLM's own file has a few limits that are text ("max input tokens, if the provider specifies it"): unknown, not an error.
    private static long? Limit(JsonElement entry, string field) =>
        entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n > 0 ? n : null;

    private static PriceTable LoadBuiltIn()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The built-in price table {ResourceName} is missing from the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), "the built-in price table");
    }
}
