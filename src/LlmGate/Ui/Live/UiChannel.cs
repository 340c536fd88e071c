namespace LlmGate.Ui.Live;

/// <summary>An alert channel's lane: queued payloads, the last delivery and its answer, failures in a row.</summary>
public sealed record UiChannel(string Name, int OutboxDepth, DateTimeOffset? LastDeliveryAt, int? LastStatus, bool? LastDelivered, int ConsecutiveFailures);
