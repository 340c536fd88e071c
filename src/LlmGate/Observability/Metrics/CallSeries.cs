using Prometheus;

namespace LlmGate.Observability.Metrics;

/// <summary>
/// The series one caller's calls to one deployment for one requested model write, resolved once and kept: the
/// successful call's path touches only these children (no label lookup, no allocation). Children appear on first
/// use, so a non-streaming caller shows no time-to-first-token series. Failure series, rarer, are looked up by label.
/// </summary>
internal sealed class CallSeries(LiteLlmMetrics metrics, string[] caller, string requestedModel, DeploymentSeries? deployment)
{
    public string[] Caller { get; } = caller;

    public string RequestedModel { get; } = requestedModel;

    public DeploymentSeries? Deployment { get; } = deployment;

    private string ModelId => Deployment?.Labels[1] ?? MetricLabels.None;

    private string Model => Deployment?.Labels[0] ?? MetricLabels.None;

    private string ModelGroup => Deployment?.ModelGroup ?? RequestedModel;

    private readonly Counter.Child?[] _completed = new Counter.Child?[MetricLabels.Routes.Length];

    public Counter.Child Completed(int route) =>
        _completed[route] ??= metrics.ProxyTotalRequests.WithLabels([.. Caller, RequestedModel, "200", MetricLabels.Routes[route], ModelId]);

    public Counter.Child Total(int status, int route) =>
        metrics.ProxyTotalRequests.WithLabels([.. Caller, RequestedModel, Status(status), MetricLabels.Routes[route], ModelId]);

    public Counter.Child Failed(int status, string exceptionClass, int route) =>
        metrics.ProxyFailedRequests.WithLabels([.. Caller, RequestedModel, Status(status), exceptionClass, MetricLabels.Routes[route], ModelId]);

    public Histogram.Child RequestLatency => field ??= metrics.RequestTotalLatency.WithLabels(CallerModel());

    public Histogram.Child ApiLatency => field ??= metrics.LlmApiLatency.WithLabels(CallerModel());

    public Histogram.Child TimeToFirstToken => field ??= metrics.TimeToFirstToken.WithLabels(CallerModel());

    public Histogram.Child Overhead => field ??= metrics.OverheadLatency.WithLabels(
        [ModelGroup, Deployment?.Labels[3] ?? MetricLabels.None, Deployment?.Labels[2] ?? MetricLabels.None, Model, Caller[0], Caller[1], ModelId]);

    public Counter.Child DeploymentSuccess => field ??= metrics.DeploymentSuccess.WithLabels(DeploymentCaller());

    public Counter.Child DeploymentTotal => field ??= metrics.DeploymentTotal.WithLabels(DeploymentCaller());

    public Counter.Child DeploymentFailure(int status, string exceptionClass) =>
        metrics.DeploymentFailure.WithLabels([.. DeploymentCaller(), Status(status), exceptionClass]);

    public Gauge.Child RemainingRequests => field ??= metrics.RemainingRequests.WithLabels(GaugeDeployment());

    public Gauge.Child RemainingTokens => field ??= metrics.RemainingTokens.WithLabels(GaugeDeployment());

    public Histogram.Child LatencyPerOutputToken => field ??= metrics.LatencyPerOutputToken.WithLabels(
        [.. Deployment?.Labels ?? DeploymentSeries.NoLabels, Caller[0], Caller[1], Caller[2], Caller[3]]);

    public Counter.Child InputTokens => field ??= metrics.InputTokens.WithLabels(CallerModel());

    public Counter.Child OutputTokens => field ??= metrics.OutputTokens.WithLabels(CallerModel());

    public Counter.Child TotalTokens => field ??= metrics.TotalTokens.WithLabels(CallerModel());

    public Counter.Child Spend => field ??= metrics.Spend.WithLabels([.. Caller, Model, ModelId, Deployment?.Labels[3] ?? MetricLabels.None]);

    public Counter.Child Fallback(bool succeeded, string fallbackModel, int status, string exceptionClass) =>
        (succeeded ? metrics.SuccessfulFallbacks : metrics.FailedFallbacks).WithLabels(
            [RequestedModel, fallbackModel, Caller[0], Caller[1], Caller[2], Caller[3], Status(status), exceptionClass, ModelId]);

    private static string Status(int status) => status == 0 ? MetricLabels.None : status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string[] CallerModel() => [.. Caller, Model, RequestedModel, ModelId];

    private string[] DeploymentCaller() => [RequestedModel, .. Deployment?.Labels ?? DeploymentSeries.NoLabels, Caller[0], Caller[1], Caller[2], Caller[3]];

    private string[] GaugeDeployment() =>
        [ModelGroup, Deployment?.Labels[3] ?? MetricLabels.None, Deployment?.Labels[2] ?? MetricLabels.None, Model, Caller[0], Caller[1], ModelId];
}
