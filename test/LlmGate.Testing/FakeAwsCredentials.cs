namespace LlmGate.Testing;

/// <summary>
/// AWS credentials a fake accepts: a long-term access key (<c>AKIA…</c>, no token) or temporary ones that
/// <see cref="FakeSts"/> issued (<c>ASIA…</c>, with the session token that must come signed, valid until <see cref="Expiration"/>).
/// </summary>
public sealed record FakeAwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null, DateTimeOffset? Expiration = null);
