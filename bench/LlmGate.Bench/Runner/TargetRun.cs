using LlmGate.Bench.Reporting;

namespace LlmGate.Bench.Runner;

/// <summary>What one start of one target gave in one round: its points, its per-target figures, its idle streams.</summary>
internal sealed record TargetRun(IReadOnlyList<PointResult> Points, TargetResult Target, IdleStreamsResult? Idle);
