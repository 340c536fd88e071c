using System.Globalization;
using System.Net;
using LlmGate.Calls;
using LlmGate.Observability.Tracing;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.EndToEnd.Observability;

/// <summary>
/// The <c>otel</c> callback end to end: the real gateway exports over OTLP/HTTP to a receiver, which checks the span
/// tree (server → call → one client span per attempt), the GenAI attributes, the trace continued from the client and
/// carried to the upstream, and the GenAI metrics with the conventions' buckets.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class OtelTracingEndToEndTests : IAsyncLifetime
{
    private FakeOtlpReceiver _receiver = null!;
    private FakeUpstream _upstream = null!;
    private FakeUpstream _backup = null!;

    public async Task InitializeAsync()
    {
        _receiver = await FakeOtlpReceiver.StartAsync();
        _upstream = await FakeUpstream.StartAsync();
        _backup = await FakeUpstream.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _backup.DisposeAsync();
        await _upstream.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["OTEL_EXPORTER"] = "otlp_http",
        ["OTEL_ENDPOINT"] = _receiver.Root.ToString(),
        ["OTEL_HEADERS"] = "x-collector-tenant=llmgate-tests",
        ["OTEL_SERVICE_NAME"] = "llmgate-e2e",
    };

    private string Config(string extra = "") => $"""
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o-2024-08-06
              api_base: {_upstream.ApiBase}
              api_key: {FakeUpstream.DefaultApiKey}
            model_info:
              id: primary-1
          - model_name: gpt-4o-mini
            litellm_params:
              model: openai/gpt-4o-mini-2024-07-18
              api_base: {_backup.ApiBase}
              api_key: {FakeUpstream.DefaultApiKey}
            model_info:
              id: backup-1
        router_settings:
          num_retries: 1
          retry_after: 0
        {extra}
        litellm_settings:
          callbacks: ["otel"]
        general_settings:
          master_key: {TracedGateway.MasterKey}
        """;

    [Fact]
    public async Task RetriedCall_ServerCallAndTwoAttemptSpansWithGenAiAttributesAndTheClientsTrace()
    {
        _upstream.FailWithStatus = 503;
        _upstream.FailRemaining = 1;
        _upstream.RetryAfter = "0";
        await using var gateway = await TracedGateway.StartAsync(Config(), Environment());
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("gpt-4o", traceParent);
        await gateway.FlushAsync(traceId, clientSpanId, _receiver);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = _receiver.Spans.Where(s => s.TraceId == traceId).ToList();
        var server = Assert.Single(spans, s => s.Kind == FakeOtlpSpan.KindServer && s.ParentSpanId == clientSpanId); // the client's traceparent continued

        var call = Assert.Single(spans, s => s.Kind == FakeOtlpSpan.KindInternal);
        Assert.Equal(("chat gpt-4o", server.SpanId, "LlmGate", FakeOtlpSpan.StatusOk), (call.Name, call.ParentSpanId, call.Scope, call.StatusCode));
        Assert.Equal(("chat", "openai", "gpt-4o", "gpt-4o-2024-08-06"), GenAi(call));
        Assert.Equal(("5", "6"), (call.Attribute("gen_ai.usage.input_tokens"), call.Attribute("gen_ai.usage.output_tokens"))); // what the fake answered
        Assert.Equal(response.Headers.GetValues("x-litellm-call-id").Single(), call.Attribute("llmgate.call_id"));
        Assert.Null(call.Attribute("error.type"));
        Assert.Equal("[stop]", call.Attribute("gen_ai.response.finish_reasons"));

        var attempts = spans.Where(s => s.Kind == FakeOtlpSpan.KindClient).OrderBy(s => s.Attribute("llmgate.attempt")).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(("chat gpt-4o-2024-08-06", call.SpanId, "primary-1"), (a.Name, a.ParentSpanId, a.Attribute("llmgate.deployment.id"))));
        Assert.Equal(("0", "503", "503", FakeOtlpSpan.StatusError), (attempts[0].Attribute("llmgate.attempt"), attempts[0].Attribute("http.response.status_code"), attempts[0].Attribute("error.type"), attempts[0].StatusCode));
        Assert.Equal(("1", "200", null, FakeOtlpSpan.StatusOk), (attempts[1].Attribute("llmgate.attempt"), attempts[1].Attribute("http.response.status_code"), attempts[1].Attribute("error.type"), attempts[1].StatusCode));
        Assert.Equal(("chat", "openai", "gpt-4o-2024-08-06", "gpt-4o-2024-08-06"), GenAi(attempts[1]));

        // Each upstream request carried the trace on, from its own attempt span (the fake upstream, in this process,
        // continued it in a server span of its own under each attempt).
        Assert.Equal(attempts.Select(a => $"00-{traceId}-{a.SpanId}-01"), _upstream.Received.Select(r => r.Headers["traceparent"]));
        Assert.Equal(attempts.Select(a => a.SpanId).Order(), spans.Where(s => s.Kind == FakeOtlpSpan.KindServer && s != server).Select(s => s.ParentSpanId).Order());

        Assert.All(_receiver.Exports.Where(e => e.IsTraces), e => Assert.Equal("llmgate-tests", e.Headers["x-collector-tenant"]));
        Assert.Equal("llmgate-e2e", call.ResourceAttribute("service.name"));
        Assert.Equal("production", call.ResourceAttribute("deployment.environment"));
        AssertNothingSecret(spans);
    }

    [Fact]
    public async Task RetriedCall_GenAiMetricsWithTheConventionsBucketsAndAttributes()
    {
        _upstream.FailWithStatus = 503;
        _upstream.FailRemaining = 1;
        _upstream.RetryAfter = "0";
        await using var gateway = await TracedGateway.StartAsync(Config(), Environment());
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("gpt-4o", traceParent);
        await gateway.FlushAsync(traceId, clientSpanId, _receiver);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var points = _receiver.Points.Where(p => p.Scope == GenAiMetrics.MeterName).ToList();
        var duration = Assert.Single(points, p => p.Metric == "gen_ai.client.operation.duration");
        Assert.Equal(("s", 1UL), (duration.Unit, duration.Count));
        Assert.True(duration.Sum > 0);
        Assert.Equal(GenAiMetrics.DurationBuckets, duration.Bounds);
        Assert.Equal(("chat", "openai", "gpt-4o", "gpt-4o-2024-08-06"), GenAi(duration));
        Assert.Null(duration.Attribute("error.type"));

        var tokens = points.Where(p => p.Metric == "gen_ai.client.token.usage").ToDictionary(p => p.Attribute("gen_ai.token.type")!);
        Assert.Equal(["input", "output"], tokens.Keys.Order());
        Assert.Equal((1UL, 5d, 1UL, 6d), (tokens["input"].Count, tokens["input"].Sum, tokens["output"].Count, tokens["output"].Sum));
        Assert.All(tokens.Values, p => Assert.Equal(GenAiMetrics.TokenBuckets.Select(b => (double)b), p.Bounds));
        Assert.All(tokens.Values, p => Assert.Equal(("{token}", "chat", "openai"), (p.Unit, p.Attribute("gen_ai.operation.name"), p.Attribute("gen_ai.provider.name"))));
        Assert.DoesNotContain(points, p => p.Metric == "gen_ai.server.time_to_first_token"); // not a stream
        Assert.All(_receiver.Exports.Where(e => e.IsMetrics), e => Assert.Equal("/v1/metrics", e.Path));
    }

    [Fact]
    public async Task Stream_TimeToFirstTokenAndTheStreamsUsage()
    {
        await using var gateway = await TracedGateway.StartAsync(Config(), Environment());
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("gpt-4o", traceParent, stream: true);
        await gateway.FlushAsync(traceId, clientSpanId, _receiver);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(_receiver.Spans, s => s.TraceId == traceId && s.Kind == FakeOtlpSpan.KindInternal);
        Assert.Equal(("5", "4"), (call.Attribute("gen_ai.usage.input_tokens"), call.Attribute("gen_ai.usage.output_tokens"))); // FakeUpstream.StreamUsage
        Assert.Equal("[stop]", call.Attribute("gen_ai.response.finish_reasons")); // from the stream's last chunk
        var ttft = Assert.Single(_receiver.Points, p => p.Metric == "gen_ai.server.time_to_first_token");
        Assert.Equal(("s", 1UL), (ttft.Unit, ttft.Count));
        Assert.Equal(GenAiMetrics.TimeToFirstTokenBuckets, ttft.Bounds);
        var duration = Assert.Single(_receiver.Points, p => p.Metric == "gen_ai.client.operation.duration");
        Assert.InRange(ttft.Sum, double.Epsilon, duration.Sum);
        AssertNothingSecret(_receiver.Spans);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TranslatedProvider_FinishReasonOfTheAnswerItWrote(bool stream)
    {
        await using var anthropic = await FakeAnthropic.StartAsync("sk-ant-trace-test");
        var yaml = $"""
            model_list:
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-3-5-sonnet-20241022
                  api_base: {anthropic.ApiBase}
                  api_key: sk-ant-trace-test
            litellm_settings:
              callbacks: ["otel"]
            general_settings:
              master_key: {TracedGateway.MasterKey}
            """;
        await using var gateway = await TracedGateway.StartAsync(yaml, Environment());
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("claude", traceParent, stream);
        await response.Content.ReadAsStringAsync();
        await gateway.FlushAsync(traceId, clientSpanId, _receiver);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(_receiver.Spans, s => s.TraceId == traceId && s.Kind == FakeOtlpSpan.KindInternal);
        Assert.Equal(("anthropic", "[stop]"), (call.Attribute("gen_ai.provider.name"), call.Attribute("gen_ai.response.finish_reasons")));
        AssertNothingSecret(_receiver.Spans);
    }

    [Fact]
    public async Task Fallback_AttemptSpansNameEachGroupAndTheCallAnsweredByTheFallback()
    {
        _upstream.FailWithStatus = 503;
        await using var gateway = await TracedGateway.StartAsync(Config("""
              fallbacks:
                - gpt-4o: [gpt-4o-mini]
            """).Replace("num_retries: 1", "num_retries: 0", StringComparison.Ordinal), Environment());
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("gpt-4o", traceParent);
        await gateway.FlushAsync(traceId, clientSpanId, _receiver);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = _receiver.Spans.Where(s => s.TraceId == traceId).ToList();
        var call = Assert.Single(spans, s => s.Kind == FakeOtlpSpan.KindInternal);
        Assert.Equal(("chat gpt-4o", "gpt-4o", "gpt-4o-mini-2024-07-18"), (call.Name, call.Attribute("gen_ai.request.model"), call.Attribute("gen_ai.response.model")));
        var attempts = spans.Where(s => s.Kind == FakeOtlpSpan.KindClient).OrderBy(s => s.Attribute("llmgate.attempt")).ToList();
        Assert.Equal(
            [("chat gpt-4o-2024-08-06", "gpt-4o", "primary-1", FakeOtlpSpan.StatusError), ("chat gpt-4o-mini-2024-07-18", "gpt-4o-mini", "backup-1", FakeOtlpSpan.StatusOk)],
            attempts.Select(a => (a.Name, a.Attribute("llmgate.model_group"), a.Attribute("llmgate.deployment.id"), a.StatusCode)));
        Assert.All(attempts, a => Assert.Equal(call.SpanId, a.ParentSpanId));
    }

    [Fact]
    public async Task FailedCall_ErrorOnTheCallSpanAndTheDurationMetric()
    {
        _upstream.FailWithStatus = 503;
        _upstream.RetryAfter = "0";
        await using var gateway = await TracedGateway.StartAsync(Config(), Environment());
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("gpt-4o", traceParent);
        await gateway.FlushAsync(traceId, clientSpanId, _receiver);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var call = Assert.Single(_receiver.Spans, s => s.TraceId == traceId && s.Kind == FakeOtlpSpan.KindInternal);
        Assert.Equal(("503", FakeOtlpSpan.StatusError, null), (call.Attribute("error.type"), call.StatusCode, call.Attribute("gen_ai.response.model")));
        var duration = Assert.Single(_receiver.Points, p => p.Metric == "gen_ai.client.operation.duration");
        Assert.Equal(("503", null), (duration.Attribute("error.type"), duration.Attribute("gen_ai.response.model")));
        Assert.DoesNotContain(_receiver.Points, p => p.Metric == "gen_ai.client.token.usage");
    }

    [Fact]
    public async Task UnroutedCallAndProbes_OnlyTheProxiedRoutesServerSpanNoCallSpan()
    {
        await using var gateway = await TracedGateway.StartAsync(Config(), Environment());
        using var http = new HttpClient();
        using var probe = await http.GetAsync(new Uri(gateway.Gateway.BaseAddress, "health/liveliness"));
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("no-such-model", traceParent);
        await gateway.FlushAsync(traceId, clientSpanId, _receiver);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadRequest), (probe.StatusCode, response.StatusCode));
        var server = Assert.Single(_receiver.Spans, s => s.TraceId == traceId);
        Assert.Equal((FakeOtlpSpan.KindServer, clientSpanId, "400"), (server.Kind, server.ParentSpanId, server.Attribute("http.response.status_code")));
        Assert.Empty(_upstream.Received);
        Assert.DoesNotContain(_receiver.Spans, s => s.Scope == "LlmGate"); // the refused call left no call span
        Assert.DoesNotContain(_receiver.Spans, s => (s.Attribute("url.path") ?? "").Contains("health", StringComparison.Ordinal)); // ended before, exported by the same flush
        Assert.DoesNotContain(_receiver.Points, p => p.Scope == GenAiMetrics.MeterName); // never routed: no GenAI measurement
    }

    [Fact]
    public async Task NoTraceParentFromTheClient_TheGatewayStartsTheTraceAndStillCarriesItUpstream()
    {
        await using var gateway = await TracedGateway.StartAsync(Config(), Environment());

        using var response = await gateway.ChatAsync("gpt-4o", traceParent: null);
        var upstreamTrace = Assert.Single(_upstream.Received).Headers["traceparent"].Split('-');
        await gateway.FlushAsync(upstreamTrace[1], clientSpanId: null, _receiver);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempt = Assert.Single(_receiver.Spans, s => s.Kind == FakeOtlpSpan.KindClient);
        Assert.Equal((upstreamTrace[1], upstreamTrace[2]), (attempt.TraceId, attempt.SpanId));
        var call = Assert.Single(_receiver.Spans, s => s.Kind == FakeOtlpSpan.KindInternal);
        var server = Assert.Single(_receiver.Spans, s => s.SpanId == call.ParentSpanId);
        Assert.Equal((FakeOtlpSpan.KindServer, ""), (server.Kind, server.ParentSpanId));
    }

    [Fact]
    public async Task Registration_TheTracingObserverIsOneOfTheCallObservers()
    {
        await using var gateway = await TracedGateway.StartAsync(Config(), Environment());

        Assert.Single(gateway.Services.GetServices<ICallObserver>().OfType<CallTracer>());
        Assert.Contains(gateway.Logs, r => r.Id.Id == 8201 && r.Message.Contains(_receiver.Root.Authority, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs, r => r.Message.Contains("llmgate-tests", StringComparison.Ordinal)); // header values are never logged
    }

    [Fact]
    public async Task NoEndpoint_LiteLlmsDefaultConsoleExporterAndNothingSentOverOtlp()
    {
        await using var gateway = await TracedGateway.StartAsync(Config(), new Dictionary<string, string>());
        var (traceId, clientSpanId, traceParent) = TracedGateway.NewTraceParent();

        using var response = await gateway.ChatAsync("gpt-4o", traceParent);
        await gateway.FlushAsync(traceId, clientSpanId); // to the console: nothing to wait for on the receiver

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(gateway.Logs, r => r.Id.Id == 8201 && r.Message.Contains("the console", StringComparison.Ordinal));
        Assert.StartsWith($"00-{traceId}-", Assert.Single(_upstream.Received).Headers["traceparent"], StringComparison.Ordinal);
        Assert.Empty(_receiver.Exports);
    }

    private static (string?, string?, string?, string?) GenAi(FakeOtlpSpan span) =>
        (span.Attribute("gen_ai.operation.name"), span.Attribute("gen_ai.provider.name"), span.Attribute("gen_ai.request.model"), span.Attribute("gen_ai.response.model"));

    private static (string?, string?, string?, string?) GenAi(FakeOtlpDataPoint point) =>
        (point.Attribute("gen_ai.operation.name"), point.Attribute("gen_ai.provider.name"), point.Attribute("gen_ai.request.model"), point.Attribute("gen_ai.response.model"));

    // No prompt, no completion, no key: in any attribute of any span.
    private static void AssertNothingSecret(IEnumerable<FakeOtlpSpan> spans)
    {
        var values = spans.SelectMany(s => s.Attributes.Values.Append(s.Name)).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToList();
        Assert.NotEmpty(values);
        foreach (var secret in new[] { TracedGateway.Prompt, "Hello from the fake upstream", "word0", TracedGateway.MasterKey, FakeUpstream.DefaultApiKey })
        {
            Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.Ordinal));
        }
    }
}
