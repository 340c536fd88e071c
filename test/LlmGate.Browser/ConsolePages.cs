namespace LlmGate.Browser;

/// <summary>Every page of the console: its path and the name its screenshot takes.</summary>
internal static class ConsolePages
{
    public static IReadOnlyList<(string Path, string Name)> All { get; } =
    [
        ("/ui", "overview"),
        ("/ui/deployments", "deployments"),
        ("/ui/incidents", "incidents"),
        ("/ui/silences", "silences"),
        ("/ui/keys", "keys"),
        ("/ui/config", "config"),
    ];
}
