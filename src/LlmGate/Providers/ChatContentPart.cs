using System.Text.Json.Nodes;

namespace LlmGate.Providers;

/// <summary>
/// One part of an OpenAI message's content: a non-empty text (<see cref="Text"/> set), or a part of another type for
/// the provider's translator to map or refuse. <see cref="Part"/> is null for the text of a string content.
/// </summary>
internal readonly record struct ChatContentPart(string? Type, string? Text, JsonObject? Part, string Path)
{
    /// <summary>The refusal of a part type the provider cannot take, naming the part (<c>messages[2].content[1]</c>).</summary>
    public ProviderRequestException Unsupported(string provider) =>
        new($"Content part type '{Type}' in '{Path}' is not supported by {provider}.", Path);
}
