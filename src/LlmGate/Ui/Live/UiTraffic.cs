namespace LlmGate.Ui.Live;

/// <summary>The last minute's figures, and the last 15 minutes as sparkline series of <see cref="StepSeconds"/>-second points (oldest first).</summary>
public sealed record UiTraffic(
    double RequestsPerSecond,
    double ErrorRate,
    double? P50Ms,
    double? P99Ms,
    double? TtftP50Ms,
    int StepSeconds,
    IReadOnlyList<double> RequestsPerSecondSeries,
    IReadOnlyList<double> ErrorRateSeries,
    IReadOnlyList<double?> P50MsSeries,
    IReadOnlyList<double?> P99MsSeries,
    IReadOnlyList<double?> TtftP50MsSeries);
