namespace LlmGate.Configuration;

/// <summary>What loading a config produced: the snapshot when there was no error, and every diagnostic.</summary>
internal sealed record ConfigLoadResult(GatewayConfig? Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    /// <summary>Every <c>os.environ/</c> reference that could not be resolved, whatever its severity when serving.</summary>
    public IReadOnlyList<MissingVariable> MissingVariables { get; init; } = [];

    /// <summary>The keys read that LiteLLM does not have (<c>llmgate_settings</c>, a few <c>alerting_args</c>), in file order.</summary>
    public IReadOnlyList<string> OwnKeys { get; init; } = [];

    /// <summary>SHA-256 of the file's bytes as read; null when loaded from text.</summary>
    public byte[]? SourceHash { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == ConfigSeverity.Error);

    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.Severity == ConfigSeverity.Error);

    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == ConfigSeverity.Warning);
}
