namespace LlmGate.Bench.Soak;

internal enum SoakOutcomeKind
{
    /// <summary>A healthy answer.</summary>
    Ok,

    /// <summary>The fault the load provoked: an upstream error passed on, a timeout, a client that went away.</summary>
    Expected,

    /// <summary>Anything else: a 5xx from a healthy deployment, a broken stream, a connection error. Fails the soak.</summary>
    Unexpected,
}
