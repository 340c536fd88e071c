namespace LlmGate.Alerting;

/// <summary><c>{"error":{"message","type","param","code"}}</c>, the shape every OpenAI client understands.</summary>
internal sealed record OpenAiErrorBody(OpenAiError Error);
