namespace LlmGate.Testing;

public enum FakeIncidentState
{
    Open,
    Resolved,
}
