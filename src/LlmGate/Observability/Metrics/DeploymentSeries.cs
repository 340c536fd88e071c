using Prometheus;

namespace LlmGate.Observability.Metrics;

/// <summary>A deployment's own labels and the series that belong to it alone (its state), resolved once per deployment.</summary>
internal sealed class DeploymentSeries(LiteLlmMetrics metrics, string[] labels, string modelGroup)
{
    public static readonly string[] NoLabels = [MetricLabels.None, MetricLabels.None, MetricLabels.None, MetricLabels.None];

    /// <summary>litellm_model_name, model_id, api_base, api_provider.</summary>
    public string[] Labels { get; } = labels;

    /// <summary>The group the deployment serves (a fallback's, when a call fell back to it).</summary>
    public string ModelGroup { get; } = modelGroup;

    public Gauge.Child State => field ??= metrics.DeploymentState.WithLabels(Labels);

    public Counter.Child CooledDown(int status) =>
        metrics.DeploymentCooledDown.WithLabels([.. Labels, status.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
}
