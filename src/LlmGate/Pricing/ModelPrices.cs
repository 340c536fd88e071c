using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LlmGate.Configuration;

namespace LlmGate.Pricing;

/// <summary>
/// Prices deployments: the deployment's own <c>input_cost_per_token</c> / <c>output_cost_per_token</c> first (one of
/// them alone: the other costs 0, as in LiteLLM), then the imported table (<c>llmgate prices import</c>), then the
/// built-in one, each by <see cref="PriceLookupNames"/>. The deployment's own cache prices and token limits override
/// the table's. Resolved once per deployment object, so <see cref="For"/> on the request path is one table lookup; a
/// reload brings new deployment objects and the old ones' entries go with them.
/// </summary>
internal sealed class ModelPrices : IModelPrices
{
    /// <summary>Where <c>llmgate prices import</c> writes and the gateway reads the imported table.</summary>
    public const string ImportedFileName = "model_prices.json";

    private const int MaxWildcardModels = 1024;

    private readonly ConditionalWeakTable<DeploymentConfig, Resolved> _resolved = [];
    private readonly ConditionalWeakTable<DeploymentConfig, Resolved>.CreateValueCallback _resolve;
    private readonly PriceTable[] _tables;
    private readonly ConditionalWeakTable<DeploymentConfig, ConcurrentDictionary<string, Resolved>> _wildcards = [];

    public ModelPrices(PriceTable builtIn, PriceTable? imported = null)
    {
        _tables = imported is null ? [builtIn] : [imported, builtIn];
        _resolve = deployment => new Resolved(Resolve(deployment));
    }

    /// <summary>The built-in table and, when <c>&lt;dataDirectory&gt;/model_prices.json</c> exists, the imported one.</summary>
    /// <exception cref="PriceTableException">The imported file cannot be read or used.</exception>
    public static ModelPrices Load(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, ImportedFileName);
        if (!File.Exists(path))
        {
            return new ModelPrices(PriceTable.BuiltIn);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PriceTableException($"{path}: cannot read the imported price table: {exception.Message}", exception);
        }

        return new ModelPrices(PriceTable.BuiltIn, PriceTable.Parse(bytes, path));
    }

    public ModelPrice? For(DeploymentConfig deployment) => _resolved.GetValue(deployment, _resolve).Price;

    public ModelPrice? For(DeploymentConfig deployment, string? upstreamModel)
    {
        if (upstreamModel is null || !deployment.Model.Contains('*', StringComparison.Ordinal))
        {
            return For(deployment);
        }

        // Clients choose the names a wildcard serves: the cache per deployment is bounded, past it prices are worked out each time.
        var perModel = _wildcards.GetValue(deployment, static _ => new ConcurrentDictionary<string, Resolved>(StringComparer.Ordinal));
        if (perModel.TryGetValue(upstreamModel, out var known))
        {
            return known.Price;
        }

        var slash = deployment.Model.IndexOf('/', StringComparison.Ordinal);
        var resolved = new Resolved(Resolve(deployment with { Model = deployment.Model[..(slash + 1)] + upstreamModel }));
        if (perModel.Count < MaxWildcardModels)
        {
            perModel.TryAdd(upstreamModel, resolved);
        }

        return resolved.Price;
    }

    /// <summary>The deployments nothing prices (their calls would count as free); mock and wildcard ones aside (a wildcard is priced per model).</summary>
    public IReadOnlyList<DeploymentConfig> Unpriced(IEnumerable<DeploymentConfig> deployments) =>
        [.. deployments.Where(d => d.MockResponse is null && !d.Model.Contains('*', StringComparison.Ordinal) && For(d) is null)];

    private ModelPrice? Resolve(DeploymentConfig deployment)
    {
        var own = deployment.Pricing;
        var table = FindInTables(deployment);
        ModelPrice price;
        if (own.HasOwnPrice)
        {
            price = new ModelPrice
            {
                InputCostPerToken = own.InputCostPerToken ?? 0,
                OutputCostPerToken = own.OutputCostPerToken ?? 0,
                MaxInputTokens = table?.MaxInputTokens,
                MaxOutputTokens = table?.MaxOutputTokens,
                // Its own prices are per token: the table's per-image, per-character and per-query prices still apply.
                CostPerImage = table?.CostPerImage ?? 0,
                CostPerPixel = table?.CostPerPixel ?? 0,
                InputCostPerCharacter = table?.InputCostPerCharacter ?? 0,
                InputCostPerQuery = table?.InputCostPerQuery ?? 0,
                CostPerSecond = table?.CostPerSecond ?? 0,
            };
        }
        else if (table is not null)
        {
            price = table;
        }
        else if (own.HasOwnUnitPrice)
        {
            price = new ModelPrice();
        }
        else
        {
            return null;
        }

        return price with
        {
            CacheReadInputTokenCost = own.CacheReadInputTokenCost ?? (own.HasOwnPrice ? null : price.CacheReadInputTokenCost),
            CacheCreationInputTokenCost = own.CacheCreationInputTokenCost ?? (own.HasOwnPrice ? null : price.CacheCreationInputTokenCost),
            MaxInputTokens = own.MaxInputTokens ?? price.MaxInputTokens,
            MaxOutputTokens = own.MaxOutputTokens ?? price.MaxOutputTokens,
            CostPerImage = own.CostPerImage ?? price.CostPerImage,
            CostPerPixel = own.CostPerPixel ?? price.CostPerPixel,
            InputCostPerCharacter = own.InputCostPerCharacter ?? price.InputCostPerCharacter,
            InputCostPerQuery = own.InputCostPerQuery ?? price.InputCostPerQuery,
            CostPerSecond = own.CostPerSecond ?? price.CostPerSecond,
        };
    }

    // Each table in turn with every name: an imported table is usually LiteLLM's newer full file, so its answer wins.
    private ModelPrice? FindInTables(DeploymentConfig deployment)
    {
        var names = PriceLookupNames.For(deployment);
        foreach (var table in _tables)
        {
            foreach (var name in names)
            {
                if (table.Find(name) is { } price)
                {
                    return price;
                }
            }
        }

        return null;
    }

    // A class, so that "no price" is cached too.
    private sealed record Resolved(ModelPrice? Price);
}
