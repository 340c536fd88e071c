using Amazon.Runtime;

namespace LlmGate.Providers.Aws;

/// <summary>Credentials STS issued, and when they stop working.</summary>
internal sealed record AwsTemporaryCredentials(ImmutableCredentials Credentials, DateTimeOffset Expires);
