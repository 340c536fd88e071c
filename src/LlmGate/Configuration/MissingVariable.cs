namespace LlmGate.Configuration;

/// <summary>An <c>os.environ/NAME</c> reference whose variable is unset or empty, and the YAML path that uses it.</summary>
/// <remarks><see cref="Severity"/> is what it means when serving; <c>llmgate validate</c> fails on any of them.</remarks>
internal sealed record MissingVariable(string Name, string Path, int Line, ConfigSeverity Severity);
