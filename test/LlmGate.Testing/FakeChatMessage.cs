using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>A message a fake chat webhook accepted: the webhook path it came to, its JSON and its raw body.</summary>
public sealed record FakeChatMessage(string Path, JsonObject Json, string Raw);
