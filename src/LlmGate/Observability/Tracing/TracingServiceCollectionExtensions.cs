using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlmGate.Observability.Tracing;

/// <summary>OpenTelemetry traces and GenAI metrics (the <c>otel</c> callback) and Langfuse's OTLP endpoint (<c>langfuse</c>).</summary>
internal static class TracingServiceCollectionExtensions
{
    // Each exporter has its own named options, so the two trace exporters and the metric one never share settings.
    private const string OtelTraces = "llmgate-otel-traces";
    private const string OtelMetrics = "llmgate-otel-metrics";
    private const string LangfuseTraces = "llmgate-langfuse-traces";

    /// <summary>
    /// Registers nothing when neither callback is configured: no listener, no observer, so a call costs nothing more.
    /// Exporter settings come from <paramref name="getEnvironmentVariable"/> only.
    /// </summary>
    public static IServiceCollection AddLlmGateTracing(this IServiceCollection services, ObservabilityOptions options, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (!options.Otel && !options.Langfuse)
        {
            return services;
        }

        var otel = options.Otel ? OtelSettings.FromEnvironment(getEnvironmentVariable) : null;
        LangfuseSettings? langfuse = null;
        IReadOnlyList<string> langfuseProblems = [];
        if (options.Langfuse)
        {
            langfuse = LangfuseSettings.FromEnvironment(getEnvironmentVariable, out langfuseProblems);
        }

        var serviceName = OtelSettings.ServiceName(getEnvironmentVariable);
        var (sampler, samplerName, samplerProblem) = TraceSampling.FromEnvironment(getEnvironmentVariable);
        services.AddHostedService(sp => new TracingStartupReport(
            otel, serviceName, langfuse, langfuseProblems, samplerName, samplerProblem, sp.GetRequiredService<ILogger<TracingStartupReport>>()));
        if (otel is null && langfuse is null)
        {
            return services;
        }

        if (otel is not null)
        {
            services.AddMetrics();
            services.AddSingleton<GenAiMetrics>();
        }

        services.AddSingleton<CallTracer>(sp => new CallTracer(sp.GetRequiredService<TimeProvider>(), otel is null ? null : sp.GetRequiredService<GenAiMetrics>()));
        services.AddSingleton<ICallObserver>(sp => sp.GetRequiredService<CallTracer>());

        var environmentName = OtelSettings.EnvironmentName(getEnvironmentVariable);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName, serviceVersion: typeof(CallTracer).Assembly.GetName().Version?.ToString())
                .AddAttributes([new KeyValuePair<string, object>("deployment.environment", environmentName)]))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(sampler);
                tracing.AddSource(TraceContext.SourceName);
                tracing.AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = ProxiedRoutes.Matches);
                if (otel is not null)
                {
                    AddTraceExporter(tracing, otel);
                }

                if (langfuse is not null)
                {
                    tracing.AddOtlpExporter(LangfuseTraces, exporter =>
                    {
                        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                        exporter.Endpoint = langfuse.TracesEndpoint;
                        exporter.Headers = langfuse.Headers;
                    });
                }
            });
        if (otel is not null)
        {
            builder.WithMetrics(metrics =>
            {
                metrics.AddMeter(GenAiMetrics.MeterName);
                // No exemplars: picking them reads the current span on every measurement.
                metrics.SetExemplarFilter(ExemplarFilterType.AlwaysOff);
                AddMetricExporter(metrics, otel);
            });
        }

        return services;
    }

    private static void AddTraceExporter(TracerProviderBuilder tracing, OtelSettings otel)
    {
        if (otel.Protocol == OtelProtocol.Console)
        {
            // Batched, so that writing to the console never runs on a request's thread.
            tracing.AddProcessor(new BatchActivityExportProcessor(new ConsoleActivityExporter(new ConsoleExporterOptions())));
            return;
        }

        tracing.AddOtlpExporter(OtelTraces, exporter => Configure(exporter, otel, otel.TracesEndpoint!));
    }

    private static void AddMetricExporter(MeterProviderBuilder metrics, OtelSettings otel)
    {
        if (otel.Protocol == OtelProtocol.Console)
        {
            metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = otel.MetricExportIntervalMilliseconds);
            return;
        }

        metrics.AddOtlpExporter(OtelMetrics, (exporter, reader) =>
        {
            Configure(exporter, otel, otel.MetricsEndpoint!);
            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = otel.MetricExportIntervalMilliseconds;
        });
    }

    private static void Configure(OtlpExporterOptions exporter, OtelSettings otel, Uri endpoint)
    {
        exporter.Protocol = otel.Protocol == OtelProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = endpoint;
        exporter.Headers = otel.Headers;
    }
}
