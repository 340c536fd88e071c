namespace LlmGate.Hosting;

/// <summary>The gateway cannot start with this config: <see cref="Problems"/> says why, one line per deployment, never a secret.</summary>
internal sealed class GatewayStartException : Exception
{
    public GatewayStartException()
        : this([])
    {
    }

    public GatewayStartException(string message)
        : this([message])
    {
    }

    public GatewayStartException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public GatewayStartException(IReadOnlyList<string> problems)
        : base("The gateway cannot start: " + string.Join("; ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; } = [];

    /// <summary>False for a problem of the command line's (the TLS files), not of the config file.</summary>
    public bool InConfig { get; init; } = true;
}
