using LlmGate.Observability.Tracing;

namespace LlmGate.Tests.Observability.Tracing;

/// <summary>The otel callback's exporter is read from LiteLLM's variables first, then the standard OTLP ones, as LiteLLM reads them.</summary>
public sealed class OtelSettingsTests
{
    private static OtelSettings Read(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return OtelSettings.FromEnvironment(environment.GetValueOrDefault);
    }

    [Fact]
    public void FromEnvironment_Nothing_IsTheConsole()
    {
        var settings = Read();

        Assert.Equal((OtelProtocol.Console, (Uri?)null, (Uri?)null, (string?)null), (settings.Protocol, settings.TracesEndpoint, settings.MetricsEndpoint, settings.Headers));
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public void FromEnvironment_EndpointOnly_IsOtlpHttpWithSignalPaths()
    {
        var settings = Read(("OTEL_ENDPOINT", "http://collector:4318"));

        Assert.Equal(OtelProtocol.HttpProtobuf, settings.Protocol);
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), settings.TracesEndpoint);
        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), settings.MetricsEndpoint);
    }

    [Theory]
    [InlineData("http://c:4318/v1/traces")]
    [InlineData("http://c:4318/v1/metrics/")]
    [InlineData("http://c:4318/v1")]
    [InlineData("http://c:4318/")]
    public void FromEnvironment_HttpEndpointAnyForm_NormalisedToEachSignal(string endpoint)
    {
        var settings = Read(("OTEL_EXPORTER", "otlp_http"), ("OTEL_ENDPOINT", endpoint));

        Assert.Equal(("http://c:4318/v1/traces", "http://c:4318/v1/metrics"), (settings.TracesEndpoint!.ToString(), settings.MetricsEndpoint!.ToString()));
    }

    [Fact]
    public void FromEnvironment_PathPrefix_IsKept()
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel.example.test/api/public/otel"));

        Assert.Equal("https://otel.example.test/api/public/otel/v1/traces", settings.TracesEndpoint!.ToString());
    }

    [Theory]
    [InlineData("otlp_grpc")]
    [InlineData("grpc")]
    public void FromEnvironment_Grpc_UsesTheEndpointAsGiven(string exporter)
    {
        var settings = Read(("OTEL_EXPORTER", exporter), ("OTEL_ENDPOINT", "http://collector:4317"));

        Assert.Equal((OtelProtocol.Grpc, "http://collector:4317/", "http://collector:4317/"), (settings.Protocol, settings.TracesEndpoint!.ToString(), settings.MetricsEndpoint!.ToString()));
    }

    [Fact]
    public void FromEnvironment_GrpcWithoutEndpoint_IsTheLocalCollector()
    {
        Assert.Equal("http://localhost:4317/", Read(("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")).TracesEndpoint!.ToString());
    }

    [Fact]
    public void FromEnvironment_LiteLlmNames_WinOverTheStandardOnes()
    {
        var settings = Read(
            ("OTEL_EXPORTER", "otlp_http"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_ENDPOINT", "http://litellm:4318"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://standard:4318"),
            ("OTEL_HEADERS", "api-key=one"), ("OTEL_EXPORTER_OTLP_HEADERS", "api-key=two"));

        Assert.Equal((OtelProtocol.HttpProtobuf, "litellm", "api-key=one"), (settings.Protocol, settings.TracesEndpoint!.Host, settings.Headers));
    }

    [Fact]
    public void FromEnvironment_StandardNamesAlone_AreRead()
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://standard:4318"), ("OTEL_EXPORTER_OTLP_HEADERS", "a=1,b=2"));

        Assert.Equal((OtelProtocol.HttpProtobuf, "standard", "a=1,b=2"), (settings.Protocol, settings.TracesEndpoint!.Host, settings.Headers));
    }

    [Fact]
    public void FromEnvironment_HttpJson_IsSentAsProtobufWithAWarning()
    {
        var settings = Read(("OTEL_EXPORTER", "http/json"), ("OTEL_ENDPOINT", "http://c:4318"));

        Assert.Equal(OtelProtocol.HttpProtobuf, settings.Protocol);
        Assert.Contains("http/json", Assert.Single(settings.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_UnknownExporter_IsTheConsoleWithAWarning()
    {
        var settings = Read(("OTEL_EXPORTER", "zipkin"));

        Assert.Equal(OtelProtocol.Console, settings.Protocol);
        Assert.Contains("zipkin", Assert.Single(settings.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_EndpointNotAUrl_IsTheConsoleWithAWarningThatDoesNotRepeatIt()
    {
        var settings = Read(("OTEL_ENDPOINT", "collector:4318 secret-token"));

        Assert.Equal((OtelProtocol.Console, (Uri?)null), (settings.Protocol, settings.TracesEndpoint));
        Assert.DoesNotContain("secret-token", Assert.Single(settings.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceAndEnvironmentName_DefaultsAndOverrides()
    {
        var none = new Dictionary<string, string>();
        var set = new Dictionary<string, string> { ["OTEL_SERVICE_NAME"] = "gateway-eu", ["OTEL_ENVIRONMENT_NAME"] = "staging" };

        Assert.Equal(("llmgate", "production"), (OtelSettings.ServiceName(none.GetValueOrDefault), OtelSettings.EnvironmentName(none.GetValueOrDefault)));
        Assert.Equal(("gateway-eu", "staging"), (OtelSettings.ServiceName(set.GetValueOrDefault), OtelSettings.EnvironmentName(set.GetValueOrDefault)));
    }

    [Fact]
    public void FromEnvironment_MetricExportInterval_ReadOrDefault()
    {
        Assert.Equal(5000, Read(("OTEL_METRIC_EXPORT_INTERVAL", "5000")).MetricExportIntervalMilliseconds);
        Assert.Equal(60_000, Read(("OTEL_METRIC_EXPORT_INTERVAL", "soon")).MetricExportIntervalMilliseconds);
    }
}
