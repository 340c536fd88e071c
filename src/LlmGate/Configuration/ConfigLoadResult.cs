namespace LlmGate.Configuration;

/// <summary>What loading a config produced: the snapshot when there was no error, and every diagnostic.</summary>
internal sealed record ConfigLoadResult(GatewayConfig? Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    /// <summary>Every <c>os.environ/</c> variable that is not set, errors or not (placeholder: the loader fills it).</summary>
    public IReadOnlyList<ConfigDiagnostic> MissingVariables { get; init; } = [];

    public bool HasErrors => Diagnostics.Any(d => d.Severity == ConfigSeverity.Error);

    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.Severity == ConfigSeverity.Error);

    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == ConfigSeverity.Warning);
}
