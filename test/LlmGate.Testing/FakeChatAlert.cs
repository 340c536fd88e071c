using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>Reads LlmGate's alert type and whether it is a resolve out of a message a fake Slack, Discord or Teams accepted.</summary>
public static class FakeChatAlert
{
    /// <summary>The alert type: Slack's <c>text</c> line, Discord's embed footer, the last line of the Teams card.</summary>
    public static string? TypeOf(FakeChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = message.Json;
        if ((string?)json["text"] is { } text && text.Split('\n').FirstOrDefault(l => l.StartsWith("Alert type: `", StringComparison.Ordinal)) is { } line)
        {
            return line["Alert type: `".Length..].TrimEnd('`');
        }

        if (json["embeds"] is JsonArray { Count: > 0 } embeds)
        {
            return (string?)embeds[0]!["footer"]?["text"];
        }

        if (json["attachments"]?[0]?["content"]?["body"] is JsonArray { Count: > 0 } body)
        {
            return ((string?)body[^1]!["text"])?.Split(' ')[0];
        }

        return null;
    }

    /// <summary>True for a resolve: its title starts with "Resolved:".</summary>
    public static bool IsResolved(FakeChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = message.Json;
        var title = (string?)json["blocks"]?[0]?["text"]?["text"]
            ?? (string?)json["content"]
            ?? (string?)json["attachments"]?[0]?["content"]?["body"]?[0]?["text"];
        return title is not null && (title.StartsWith("Resolved:", StringComparison.Ordinal) || title.StartsWith("✅", StringComparison.Ordinal));
    }

    public static bool Is(FakeChatMessage message, string type, bool resolved) => TypeOf(message) == type && IsResolved(message) == resolved;
}
