namespace LlmGate.Bench.Load;

/// <summary>What one request/response on a connection gave: the status, when the body's first byte came, whether it was whole.</summary>
internal readonly record struct ExchangeResult(int Status, long FirstBodyTimestamp, bool EndsWithDone, bool KeepAlive);
