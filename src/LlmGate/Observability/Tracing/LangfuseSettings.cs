using System.Text;

namespace LlmGate.Observability.Tracing;

/// <summary>
/// The <c>langfuse</c> callback as an OTLP trace exporter: Langfuse's endpoint
/// (<c>{LANGFUSE_HOST}/api/public/otel/v1/traces</c>) with Basic auth from its public and secret keys.
/// </summary>
internal sealed record LangfuseSettings(Uri TracesEndpoint, string Authorization)
{
    public const string DefaultHost = "https://cloud.langfuse.com";

    /// <summary>The OTLP headers value; holds the secret key, so never logged.</summary>
    public string Headers => "Authorization=" + Authorization;

    /// <summary>The settings, or null with the names (never the values) of what is missing or wrong.</summary>
    public static LangfuseSettings? FromEnvironment(Func<string, string?> getEnvironmentVariable, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var missing = new List<string>();
        var publicKey = Value(getEnvironmentVariable, "LANGFUSE_PUBLIC_KEY", missing);
        var secretKey = Value(getEnvironmentVariable, "LANGFUSE_SECRET_KEY", missing);

        // LANGFUSE_OTEL_HOST is LiteLLM's name for a separate OTLP host; a host without a scheme is https, as there.
        var host = getEnvironmentVariable("LANGFUSE_OTEL_HOST")?.Trim() is { Length: > 0 } otelHost ? otelHost
            : getEnvironmentVariable("LANGFUSE_HOST")?.Trim() is { Length: > 0 } plainHost ? plainHost
            : DefaultHost;
        if (!host.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !host.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            host = "https://" + host;
        }

        if (!Uri.TryCreate(host.TrimEnd('/') + "/api/public/otel/v1/traces", UriKind.Absolute, out var endpoint))
        {
            missing.Add("LANGFUSE_HOST (not a URL)");
        }

        problems = missing;
        if (missing.Count > 0)
        {
            return null;
        }

        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(publicKey + ":" + secretKey));
        return new LangfuseSettings(endpoint!, "Basic " + credentials);
    }

    // The Basic credentials are in the record's Authorization: keep them out of its printed form.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("TracesEndpoint = ").Append(TracesEndpoint);
        return true;
    }

    private static string? Value(Func<string, string?> getEnvironmentVariable, string name, List<string> missing)
    {
        if (getEnvironmentVariable(name)?.Trim() is { Length: > 0 } value)
        {
            return value;
        }

        missing.Add(name);
        return null;
    }
}
