namespace LlmGate.EndToEnd.Observability;

/// <summary>
/// Tracing tests run alone: the OpenTelemetry SDK listens to activity sources and meters by name, process-wide, so a
/// gateway running beside them would add its spans to theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing";
}
