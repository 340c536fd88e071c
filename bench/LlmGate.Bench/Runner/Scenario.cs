namespace LlmGate.Bench.Runner;

/// <summary>
/// The request every connection sends: a plain chat completion, or the same with <c>"stream": true</c>. The opt-in
/// <c>idle-streams</c> scenario is no load point: it holds many slow streams open at once and measures memory.
/// </summary>
internal sealed record Scenario(string Name, bool IsStream, bool IsIdle = false)
{
    public static Scenario Chat { get; } = new("chat", false);

    public static Scenario Streamed { get; } = new("stream", true);

    public static Scenario IdleStreams { get; } = new("idle-streams", true, IsIdle: true);

    public static IReadOnlyList<Scenario> All { get; } = [Chat, Streamed, IdleStreams];

    public static Scenario Find(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown scenario '{name}'; known: chat, stream, idle-streams.", nameof(name));
}
