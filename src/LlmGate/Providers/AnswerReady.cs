using LlmGate.Calls;

namespace LlmGate.Providers;

/// <summary>
/// Asks for a plain answer to be held until it is complete and told, with its usage, just before it is written: the
/// gateway then adds the headers that depend on it (the call's cost). Put on the request's features by the forwarder
/// for calls something charges; a relay that holds the whole answer anyway (a translated one) only has to call it.
/// </summary>
internal sealed class AnswerReady(Action<TokenUsage?> ready)
{
    public void Invoke(TokenUsage? usage) => ready(usage);
}
