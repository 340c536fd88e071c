namespace LlmGate.Bench.Runner;

/// <summary>What one wrk run printed: its req/s, its non-2xx answers, and its socket-error line if any.</summary>
internal sealed record WrkResult(double RequestsPerSecond, long Non2xx, string? SocketErrors);
