using System.Text.Json;

namespace LlmGate.Testing;

/// <summary>One POST the <see cref="FakeWebhookReceiver"/> accepted: the raw body, its JSON, and LlmGate's headers.</summary>
public sealed record FakeWebhookReceiverDelivery(string RawBody, JsonElement Body, string? ContentType, string? Event, string? Delivery, string? Signature);
