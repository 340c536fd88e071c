namespace LlmGate.Testing;

/// <summary>Any request the fake PagerDuty received, with the status it answered.</summary>
public sealed record FakePagerDutyRequest(string RawBody, int StatusCode);
