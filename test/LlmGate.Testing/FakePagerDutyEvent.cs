using System.Text.Json;

namespace LlmGate.Testing;

/// <summary>An event the fake PagerDuty accepted (202), with its raw body for assertions.</summary>
public sealed record FakePagerDutyEvent(string RoutingKey, string EventAction, string? DedupKey, string RawBody)
{
    public JsonElement Body => JsonDocument.Parse(RawBody).RootElement;

    public string? Summary => Body.TryGetProperty("payload", out var payload) && payload.TryGetProperty("summary", out var summary) ? summary.GetString() : null;
}
