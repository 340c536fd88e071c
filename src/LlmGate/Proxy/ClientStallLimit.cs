namespace LlmGate.Proxy;

/// <summary>
/// How long a stream's relay may wait on its client (a write that the client does not take) before the client is cut
/// (<c>--client-stall-timeout</c>). Kestrel's own <c>MinResponseDataRate</c> (240 B/s after a 5 s grace) counts the
/// bytes the kernel has already taken into its socket buffers as delivered, and a loopback or jumbo-frame socket takes
/// megabytes: a client that never reads is then cut only after hours. This bounds how long a stalled client holds an
/// upstream connection instead. It cuts a client that stopped reading, and one so slow (below about 1 KB/s against a
/// fast upstream) that Kestrel's response buffer does not drain by half within it; faster ones keep their stream, held
/// back by TCP.
/// </summary>
internal sealed record ClientStallLimit(TimeSpan Timeout)
{
    public static ClientStallLimit Default { get; } = new(TimeSpan.FromSeconds(60));
}
