namespace LlmGate.Hosting;

/// <summary>Where the gateway listens and keeps its files; from the command line.</summary>
internal sealed record GatewayHostOptions
{
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = 4000;

    /// <summary>Where the alert outbox (SQLite) lives.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>PEM certificate (chain) for HTTPS on the listener; with <see cref="TlsKeyPath"/>, or neither.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; init; }

    public bool Tls => TlsCertificatePath is not null;

    /// <summary>How long requests and streams in flight may run on after a stop signal (<c>--shutdown-timeout</c>).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The config file, absolute; reloads read it again (null for a gateway built from text, which cannot reload).</summary>
    public string? ConfigPath { get; init; }

    /// <summary><c>--watch-config</c>: reload when the file changes.</summary>
    public bool WatchConfig { get; init; }

    /// <summary>
    /// How long a stream may wait on a client that takes none of it before the client is cut (<c>--client-stall-timeout</c>);
    /// <see cref="Proxy.ClientStallLimit"/> says why Kestrel's own minimum response rate is not enough.
    /// </summary>
    public TimeSpan ClientStallTimeout { get; init; } = Proxy.ClientStallLimit.Default.Timeout;

    /// <summary><c>--detailed_debug</c>/<c>--debug</c> or <c>LITELLM_LOG=DEBUG</c>: the gateway's debug logs, a line per attempt and per call.</summary>
    public bool DetailedDebug { get; init; }

    /// <summary>The served process's SIGHUP, caught from its start (<see cref="Reload.HangupSignal"/>); null for tests' in-process gateways.</summary>
    public Reload.HangupSignal? Hangup { get; init; }

    /// <summary>
    /// The served process (the one with <see cref="Hangup"/>) handles SIGTERM/SIGINT itself (<see cref="SignalLifetime"/>);
    /// tests' in-process gateways do not.
    /// </summary>
    public bool HandleSignals => Hangup is not null;
}
