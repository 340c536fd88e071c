namespace LlmGate.Configuration;

/// <summary>A problem found in a config file, named by its YAML path (e.g. <c>model_list[2].litellm_params.api_key</c>) and line.</summary>
internal sealed record ConfigDiagnostic(ConfigSeverity Severity, string Path, int Line, string Message)
{
    // A file-level diagnostic (empty path, no line) prints as "warning: message".
    public override string ToString() =>
        $"{(Severity == ConfigSeverity.Error ? "error" : "warning")}: {Path}{(Line > 0 ? $" (line {Line})" : "")}{(Path.Length > 0 || Line > 0 ? ": " : "")}{Message}";
}
