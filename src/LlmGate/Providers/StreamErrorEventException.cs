namespace LlmGate.Providers;

/// <summary>
/// A stream the provider ended with an error event (Anthropic's <c>overloaded_error</c> mid-answer, a Bedrock
/// exception frame, Gemini's error chunk), which the client has already been sent in its own API's shape. An
/// <see cref="IOException"/>, so the call is the deployment's failure, counted for alerts, cooldowns and metrics like a
/// stream that broke off; unlike one, nothing more is written to the client.
/// </summary>
internal sealed class StreamErrorEventException(string provider, string message)
    : IOException($"(provider {provider}) ended its stream with an error event: {message}");
