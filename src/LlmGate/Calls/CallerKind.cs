namespace LlmGate.Calls;

/// <summary>How a caller was authenticated.</summary>
internal enum CallerKind
{
    /// <summary>The gateway has no master key, so nobody is asked for one.</summary>
    Anonymous,

    MasterKey,

    /// <summary>A virtual key (<c>sk-...</c>) handed out by the gateway.</summary>
    VirtualKey,
}
