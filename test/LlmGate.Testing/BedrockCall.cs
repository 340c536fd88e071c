namespace LlmGate.Testing;

/// <summary>
/// A request <see cref="FakeBedrock"/> authenticated and routed: the model id decoded from its one path segment
/// (<c>us.anthropic.claude-3-5-haiku-20241022-v1:0</c>, an ARN with its '/'), the operation (<c>converse</c>,
/// <c>converse-stream</c>, <c>invoke</c>, <c>invoke-with-response-stream</c>), and who signed it: the access key id,
/// or <c>Bearer</c> for a Bedrock API key.
/// </summary>
public sealed record BedrockCall(string ModelId, string Operation, string SignedBy);
