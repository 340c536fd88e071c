using System.Globalization;
using LlmGate.Secrets;

namespace LlmGate.Observability.Tracing;

/// <summary>
/// The <c>otel</c> callback's exporter, read from the environment as LiteLLM reads it: its own names first
/// (<c>OTEL_EXPORTER</c>, <c>OTEL_ENDPOINT</c>, <c>OTEL_HEADERS</c>), then the standard <c>OTEL_EXPORTER_OTLP_*</c>.
/// </summary>
internal sealed record OtelSettings
{
    public const string DefaultServiceName = "llmgate";
    public const string DefaultEnvironmentName = "production";
    public const int DefaultMetricExportIntervalMilliseconds = 60_000;

    private static readonly Uri DefaultHttpEndpoint = new("http://localhost:4318");
    private static readonly Uri DefaultGrpcEndpoint = new("http://localhost:4317");

    public OtelProtocol Protocol { get; init; }

    /// <summary>Where spans are sent; for HTTP the full path (<c>…/v1/traces</c>); null for the console.</summary>
    public Uri? TracesEndpoint { get; init; }

    /// <summary>Where metrics are sent; for HTTP the full path (<c>…/v1/metrics</c>); null for the console.</summary>
    public Uri? MetricsEndpoint { get; init; }

    /// <summary>Extra request headers as OTLP takes them, <c>k=v,k2=v2</c>; may hold a secret, so never logged.</summary>
    public string? Headers { get; init; }

    public int MetricExportIntervalMilliseconds { get; init; } = DefaultMetricExportIntervalMilliseconds;

    /// <summary>What was set but could not be used as given (no values, they may be secrets); logged at start.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static OtelSettings FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var warnings = new List<string>();
        var exporter = First(getEnvironmentVariable, "OTEL_EXPORTER", "OTEL_EXPORTER_OTLP_PROTOCOL")?.ToLowerInvariant() ?? "console";
        var endpointText = First(getEnvironmentVariable, "OTEL_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT");

        // LiteLLM: an endpoint with the exporter left at console means OTLP over HTTP.
        if (endpointText is not null && exporter == "console")
        {
            exporter = "otlp_http";
        }

        var protocol = exporter switch
        {
            "console" => OtelProtocol.Console,
            "otlp_http" or "http/protobuf" or "http" => OtelProtocol.HttpProtobuf,
            "http/json" => Warn(OtelProtocol.HttpProtobuf, "OTEL_EXPORTER http/json is not supported; OTLP is sent as http/protobuf"),
            "otlp_grpc" or "grpc" => OtelProtocol.Grpc,
            _ => Warn(OtelProtocol.Console, $"OTEL_EXPORTER '{Cut(exporter)}' is not known (console, otlp_http, http/protobuf, otlp_grpc, grpc); traces go to the console"),
        };

        var settings = new OtelSettings
        {
            Protocol = protocol,
            Headers = First(getEnvironmentVariable, "OTEL_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS"),
            MetricExportIntervalMilliseconds = Interval(getEnvironmentVariable("OTEL_METRIC_EXPORT_INTERVAL")),
        };
        if (protocol != OtelProtocol.Console)
        {
            Uri? endpoint = protocol == OtelProtocol.Grpc ? DefaultGrpcEndpoint : DefaultHttpEndpoint;
            if (endpointText is not null && !(Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) && endpoint.Scheme is "http" or "https"))
            {
                endpoint = null;
                warnings.Add("OTEL_ENDPOINT is not an absolute http or https URL; traces go to the console");
                settings = settings with { Protocol = OtelProtocol.Console };
            }

            if (endpoint is not null)
            {
                settings = protocol == OtelProtocol.Grpc
                    ? settings with { TracesEndpoint = endpoint, MetricsEndpoint = endpoint }
                    : settings with { TracesEndpoint = SignalEndpoint(endpoint, "traces"), MetricsEndpoint = SignalEndpoint(endpoint, "metrics") };
            }
        }

        return settings with { Warnings = warnings };

        OtelProtocol Warn(OtelProtocol chosen, string warning)
        {
            warnings.Add(warning);
            return chosen;
        }
    }

    /// <summary>
    /// LiteLLM's normalisation for OTLP over HTTP: a base URL gets <c>/v1/{signal}</c>, one ending in <c>/v1</c> gets
    /// <c>/{signal}</c>, and one already naming a signal is pointed at this one.
    /// </summary>
    public static Uri SignalEndpoint(Uri endpoint, string signal)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var path = endpoint.AbsolutePath.TrimEnd('/');
        foreach (var known in (ReadOnlySpan<string>)["/v1/traces", "/v1/metrics", "/v1/logs"])
        {
            if (path.EndsWith(known, StringComparison.Ordinal))
            {
                path = path[..^known.Length];
                break;
            }
        }

        if (path.EndsWith("/v1", StringComparison.Ordinal))
        {
            path = path[..^3];
        }

        return new UriBuilder(endpoint) { Path = path + "/v1/" + signal }.Uri;
    }

    /// <summary><c>OTEL_SERVICE_NAME</c>, <c>llmgate</c> by default.</summary>
    public static string ServiceName(Func<string, string?> getEnvironmentVariable) =>
        First(getEnvironmentVariable, "OTEL_SERVICE_NAME") ?? DefaultServiceName;

    /// <summary><c>OTEL_ENVIRONMENT_NAME</c>, the resource's <c>deployment.environment</c>; LiteLLM's default <c>production</c>.</summary>
    public static string EnvironmentName(Func<string, string?> getEnvironmentVariable) =>
        First(getEnvironmentVariable, "OTEL_ENVIRONMENT_NAME") ?? DefaultEnvironmentName;

    private static string? First(Func<string, string?> getEnvironmentVariable, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (getEnvironmentVariable(name)?.Trim() is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    private static int Interval(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0
            ? milliseconds
            : DefaultMetricExportIntervalMilliseconds;

    private static string Cut(string text) => SecretScrubber.Truncate(text, 41);
}
