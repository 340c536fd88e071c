namespace LlmGate.Providers;

/// <summary>One event of a provider's stream: its type (SSE's <c>event:</c>, an event stream's <c>:event-type</c>) and its payload.</summary>
internal readonly record struct UpstreamEvent(string Type, ReadOnlyMemory<byte> Data);
