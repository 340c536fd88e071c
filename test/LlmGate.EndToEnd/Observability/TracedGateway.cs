using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LlmGate.EndToEnd.Observability;

/// <summary>
/// An in-process gateway with tracing on, a <see cref="SpanEndSignal"/> behind its exporters and a fake log, and a
/// client that sends its own <c>traceparent</c>.
/// </summary>
internal sealed class TracedGateway : IAsyncDisposable
{
    public const string MasterKey = "sk-1234";
    public const string Prompt = "PROMPT-TEXT-never-in-a-span-3f9c";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http = new();

    private TracedGateway(TestGateway gateway, SpanEndSignal ended)
    {
        Gateway = gateway;
        Ended = ended;
    }

    public TestGateway Gateway { get; }

    public SpanEndSignal Ended { get; }

    public IServiceProvider Services => Gateway.Services;

    /// <param name="signal">False when the gateway may have no tracer provider at all (the signal would make one).</param>
    public static async Task<TracedGateway> StartAsync(string yaml, IReadOnlyDictionary<string, string> environment, bool signal = true)
    {
        var ended = new SpanEndSignal();
        var gateway = await TestGateway.StartAsync(yaml, environment, services =>
        {
            services.AddLogging(logging => logging.AddFakeLogging().AddFilter<FakeLoggerProvider>(null, LogLevel.Information));
            if (signal)
            {
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(ended));
            }
        });
        return new TracedGateway(gateway, ended);
    }

    /// <summary>A fresh W3C trace id and parent span id, as a client that traces would send them.</summary>
    public static (string TraceId, string ParentSpanId, string Header) NewTraceParent()
    {
        var (traceId, spanId) = (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());
        return (traceId, spanId, $"00-{traceId}-{spanId}-01");
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string body, string? traceParent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.BaseAddress, path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        var response = await _http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public Task<HttpResponseMessage> ChatAsync(string model, string? traceParent, bool stream = false) =>
        PostAsync("v1/chat/completions", ChatBody(model, stream), traceParent);

    public static string ChatBody(string model, bool stream = false) => stream
        ? $$$"""{"model":"{{{model}}}","messages":[{"role":"user","content":"{{{Prompt}}}"}],"stream":true,"stream_options":{"include_usage":true}}"""
        : $$$"""{"model":"{{{model}}}","messages":[{"role":"user","content":"{{{Prompt}}}"}]}""";

    /// <summary>
    /// Waits until the gateway's server span of the trace has ended, flushes traces and metrics to the exporters, and
    /// waits until <paramref name="receiver"/>, when there is one, has that span on each of <paramref name="tracePaths"/>
    /// (one per trace exporter; <c>/v1/traces</c> when none is named). The wait is needed: a tracer's <c>ForceFlush</c> returns once
    /// its exporter has taken the batch, which can be before the batch's POST has arrived.
    /// </summary>
    public async Task FlushAsync(string traceId, string? clientSpanId, FakeOtlpReceiver? receiver = null, params string[] tracePaths)
    {
        await Ended.ServerSpanEnded(traceId, clientSpanId).WaitAsync(Patience);
        Assert.True(Services.GetRequiredService<TracerProvider>().ForceFlush((int)Patience.TotalMilliseconds));
        if (Services.GetService<MeterProvider>() is { } meters)
        {
            Assert.True(meters.ForceFlush((int)Patience.TotalMilliseconds));
        }

        if (receiver is null)
        {
            return;
        }

        var server = (FakeOtlpSpan s) => s.Kind == FakeOtlpSpan.KindServer && s.TraceId == traceId && s.ParentSpanId == (clientSpanId ?? "");
        foreach (var path in tracePaths is [] ? ["/v1/traces"] : tracePaths)
        {
            await receiver.WaitForAsync(e => e.Path == path && e.Spans.Any(server)).WaitAsync(Patience);
        }
    }

    public IReadOnlyList<FakeLogRecord> Logs => Services.GetFakeLogCollector().GetSnapshot();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Gateway.DisposeAsync();
    }
}
