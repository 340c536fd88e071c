namespace LlmGate.Testing;

/// <summary>An alert as PagerDuty keeps it per dedup key: triggers on an open key add to it; a resolve closes it.</summary>
public sealed record FakePagerDutyIncident(string DedupKey, string RoutingKey, FakeIncidentState State, int Triggers, int Opened);
