namespace LlmGate.Auth;

/// <summary>Why a presented key was refused, as the client is told (OpenAI's error shape).</summary>
internal sealed record AuthRefusal(int Status, string Message, string Type, string? Param = null);
