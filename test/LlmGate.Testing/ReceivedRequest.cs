namespace LlmGate.Testing;

/// <summary>What the fake upstream received: path, the Authorization header, the raw body and all headers.</summary>
public sealed record ReceivedRequest(string Path, string Authorization, string Body, IReadOnlyDictionary<string, string> Headers);
