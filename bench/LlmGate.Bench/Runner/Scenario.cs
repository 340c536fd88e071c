namespace LlmGate.Bench.Runner;

/// <summary>The request every connection sends: a plain chat completion, or the same with <c>"stream": true</c>.</summary>
internal sealed record Scenario(string Name, bool IsStream)
{
    public static Scenario Chat { get; } = new("chat", false);

    public static Scenario Streamed { get; } = new("stream", true);

    public static IReadOnlyList<Scenario> All { get; } = [Chat, Streamed];

    public static Scenario Find(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown scenario '{name}'; known: chat, stream.", nameof(name));
}
