using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>What the fake models say, counted and cut the same way: words as tokens, streamed text in pieces.</summary>
internal static class FakeText
{
    public static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary><paramref name="text"/> cut in <paramref name="count"/> pieces (fewer for a short text), never inside a surrogate pair.</summary>
    public static List<string> Pieces(string text, int count)
    {
        var pieces = new List<string>();
        var n = Math.Max(1, Math.Min(count, text.Length));
        for (var k = 0; k < n; k++)
        {
            var piece = text[Cut(text, k, n)..Cut(text, k + 1, n)];
            if (piece.Length > 0)
            {
                pieces.Add(piece);
            }
        }

        return pieces;
    }

    /// <summary>
    /// The arguments a fake model calls an OpenAI-style function with: each required property of its JSON Schema filled
    /// by type ("Paris" for a string, 1 for a number, …).
    /// </summary>
    public static JsonObject Arguments(JsonObject? parameters)
    {
        var arguments = new JsonObject();
        foreach (var name in (parameters?["required"] as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>())
        {
            arguments[name] = (parameters!["properties"]?[name]?["type"] as JsonValue)?.GetValue<string>() switch
            {
                "integer" or "number" => 1,
                "boolean" => true,
                "array" => new JsonArray(),
                "object" => new JsonObject(),
                _ => "Paris",
            };
        }

        return arguments;
    }

    private static int Cut(string text, int k, int n)
    {
        var at = text.Length * k / n;
        return at < text.Length && char.IsLowSurrogate(text[at]) ? at + 1 : at;
    }
}
