namespace LlmGate.Providers;

/// <summary>
/// An answer that arrived whole but cannot be what it claims: not JSON, not the provider's shape, or an OpenAI stream
/// that ended without its last chunk. An <see cref="IOException"/>, so it is the upstream's failure like a broken
/// connection (retried, sent to fallbacks, counted for alerts); its message, written by the gateway, is what the
/// client is told, never the parser's text.
/// </summary>
internal sealed class UnreadableAnswerException(string message, Exception? innerException = null) : IOException(message, innerException);
