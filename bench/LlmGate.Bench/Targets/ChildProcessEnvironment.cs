namespace LlmGate.Bench.Targets;

/// <summary>Environment variables the harness sets for itself and must not pass on to the processes it measures.</summary>
internal static class ChildProcessEnvironment
{
    public const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}
