namespace LlmGate.Bench.Soak;

/// <summary>One metric's verdict: its baseline, its final value (median of the last samples), and the growth allowed.</summary>
internal sealed record SoakCheck(string Metric, double Baseline, double Final, double Allowed, bool Passed)
{
    public double Growth => Math.Round(Final - Baseline, 2);

    public double GrowthPercent => Baseline > 0 ? Math.Round((Final - Baseline) * 100 / Baseline, 1) : 0;
}
