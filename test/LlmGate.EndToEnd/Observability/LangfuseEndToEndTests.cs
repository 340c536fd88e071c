using System.Net;
using System.Text;
using LlmGate.Calls;
using LlmGate.Observability.Tracing;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LlmGate.EndToEnd.Observability;

/// <summary>
/// The <c>langfuse</c> callback sends the same spans to Langfuse's OTLP endpoint with Basic auth from its keys; without
/// the keys it warns once, names what is missing, and sends nothing.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class LangfuseEndToEndTests : IAsyncLifetime
{
    private const string PublicKey = "pk-lf-e2e-0001";
    private const string SecretKey = "sk-lf-e2e-secret-9876";
    private FakeOtlpReceiver _receiver = null!;
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _receiver = await FakeOtlpReceiver.StartAsync();
        _upstream = await FakeUpstream.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private string Config(string callbacks) => $"""
        model_list:
          - model_name: claude-via-openai
            litellm_params:
              model: openai/gpt-4o-mini
              api_base: {_upstream.ApiBase}
              api_key: {FakeUpstream.DefaultApiKey}
        litellm_settings:
          {callbacks}
        general_settings:
          master_key: {TracedGateway.MasterKey}
        """;

    private static string Basic => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(PublicKey + ":" + SecretKey));

    [Fact]
    public async Task SuccessCallback_SpansGoToLangfusesOtlpPathWithBasicAuth()
    {
        await using var gateway = await TracedGateway.StartAsync(Config("""success_callback: ["langfuse"]"""), new Dictionary<string, string>
        {
            ["LANGFUSE_HOST"] = _receiver.Root.ToString(),
            ["LANGFUSE_PUBLIC_KEY"] = PublicKey,
            ["LANGFUSE_SECRET_KEY"] = SecretKey,
        });
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("claude-via-openai", traceParent);
        await gateway.FlushAsync(traceId, clientSpanId, _receiver, "/api/public/otel/v1/traces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(_receiver.Exports);
        Assert.All(_receiver.Exports, e => Assert.Equal(("/api/public/otel/v1/traces", Basic), (e.Path, e.Headers["Authorization"])));
        var call = Assert.Single(_receiver.Spans, s => s.TraceId == traceId && s.Kind == FakeOtlpSpan.KindInternal);
        Assert.Equal(("chat claude-via-openai", "openai", "5", "6"),
            (call.Name, call.Attribute("gen_ai.provider.name"), call.Attribute("gen_ai.usage.input_tokens"), call.Attribute("gen_ai.usage.output_tokens")));
        Assert.Null(gateway.Services.GetService<MeterProvider>()); // Langfuse takes traces only: no GenAI metrics without otel
        Assert.DoesNotContain(gateway.Logs, r => r.Message.Contains(SecretKey, StringComparison.Ordinal) || r.Message.Contains(Basic[6..], StringComparison.Ordinal));
        Assert.Contains(gateway.Logs, r => r.Id.Id == 8203 && r.Message.Contains("/api/public/otel/v1/traces", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OtelAndLangfuse_EachExporterItsOwnPathAndHeaders()
    {
        await using var gateway = await TracedGateway.StartAsync(Config("""callbacks: ["otel", "langfuse"]"""), new Dictionary<string, string>
        {
            ["OTEL_ENDPOINT"] = new Uri(_receiver.Root, "/collector").ToString(),
            ["OTEL_HEADERS"] = "x-tenant=one",
            ["LANGFUSE_HOST"] = _receiver.Root.ToString(),
            ["LANGFUSE_PUBLIC_KEY"] = PublicKey,
            ["LANGFUSE_SECRET_KEY"] = SecretKey,
        });
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("claude-via-openai", traceParent);
        await gateway.FlushAsync(traceId, clientSpanId, _receiver, "/api/public/otel/v1/traces", "/collector/v1/traces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var byPath = _receiver.Exports.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(["/api/public/otel/v1/traces", "/collector/v1/metrics", "/collector/v1/traces"], byPath.Keys.Order());
        Assert.All(byPath["/api/public/otel/v1/traces"], e => Assert.Equal(Basic, e.Headers["Authorization"]));
        Assert.All(byPath["/collector/v1/traces"].Concat(byPath["/collector/v1/metrics"]), e =>
        {
            Assert.False(e.Headers.ContainsKey("Authorization")); // the Langfuse keys go to Langfuse only
            Assert.Equal("one", e.Headers["x-tenant"]);
        });
        Assert.Single(byPath["/api/public/otel/v1/traces"].SelectMany(e => e.Spans), s => s.TraceId == traceId && s.Kind == FakeOtlpSpan.KindInternal);
        Assert.Single(byPath["/collector/v1/traces"].SelectMany(e => e.Spans), s => s.TraceId == traceId && s.Kind == FakeOtlpSpan.KindInternal);
    }

    [Fact]
    public async Task KeysMissing_OneWarningNamingThemAndNothingRegisteredOrSent()
    {
        await using var gateway = await TracedGateway.StartAsync(Config("""success_callback: ["langfuse"]"""), new Dictionary<string, string>
        {
            ["LANGFUSE_HOST"] = _receiver.Root.ToString(),
            ["LANGFUSE_SECRET_KEY"] = SecretKey,
        }, signal: false);

        using var response = await gateway.ChatAsync("claude-via-openai", TracedGateway.NewTraceParent().Header);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var warning = Assert.Single(gateway.Logs, r => r.Id.Id == 8204);
        Assert.Contains("LANGFUSE_PUBLIC_KEY", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, warning.Message, StringComparison.Ordinal);
        Assert.Null(gateway.Services.GetService<TracerProvider>()); // nothing could ever be exported
        Assert.Empty(gateway.Services.GetServices<ICallObserver>().OfType<CallTracer>());
        Assert.False(Assert.Single(_upstream.Received).Headers.ContainsKey("traceparent"));
        Assert.Empty(_receiver.Exports);
    }
}
