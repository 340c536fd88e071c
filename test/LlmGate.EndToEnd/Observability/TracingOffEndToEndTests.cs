using System.Net;
using LlmGate.Calls;
using LlmGate.Observability.Tracing;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LlmGate.EndToEnd.Observability;

/// <summary>Without the otel or langfuse callback, tracing costs nothing: no observer, no provider, no header upstream.</summary>
[Collection(TracingCollection.Name)]
public sealed class TracingOffEndToEndTests
{
    [Fact]
    public async Task NoCallback_NoTracingObserverNoProvidersAndNoTraceparentUpstreamEvenWithOtelEnv()
    {
        await using var receiver = await FakeOtlpReceiver.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await TracedGateway.StartAsync($"""
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: openai/gpt-4o
                  api_base: {upstream.ApiBase}
                  api_key: {FakeUpstream.DefaultApiKey}
            litellm_settings:
              callbacks: ["prometheus"]
            general_settings:
              master_key: {TracedGateway.MasterKey}
            """, new Dictionary<string, string> { ["OTEL_ENDPOINT"] = receiver.Root.ToString(), ["LANGFUSE_PUBLIC_KEY"] = "pk", ["LANGFUSE_SECRET_KEY"] = "sk" }, signal: false);

        using var response = await gateway.ChatAsync("gpt-4o", TracedGateway.NewTraceParent().Header);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(gateway.Services.GetServices<ICallObserver>().OfType<CallTracer>());
        Assert.Null(gateway.Services.GetService<TracerProvider>());
        Assert.Null(gateway.Services.GetService<MeterProvider>());
        Assert.Null(gateway.Services.GetService<GenAiMetrics>());
        Assert.False(Assert.Single(upstream.Received).Headers.ContainsKey("traceparent"));
        Assert.Empty(receiver.Exports);
    }
}
