using Microsoft.Extensions.Logging;

namespace LlmGate.Observability.Tracing;

internal static partial class TracingLog
{
    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "OpenTelemetry (otel callback): traces and GenAI metrics to {Destination} over {Protocol}, service.name {ServiceName}")]
    public static partial void OtelOn(ILogger logger, string destination, string protocol, string serviceName);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Warning, Message = "OpenTelemetry (otel callback): {Problem}")]
    public static partial void OtelSetting(ILogger logger, string problem);

    [LoggerMessage(EventId = 8203, Level = LogLevel.Information, Message = "Langfuse callback: traces to {Endpoint}")]
    public static partial void LangfuseOn(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 8204, Level = LogLevel.Warning, Message = "Langfuse callback is configured but {Missing} is not set; no traces are sent to Langfuse")]
    public static partial void LangfuseOff(ILogger logger, string missing);

    [LoggerMessage(EventId = 8205, Level = LogLevel.Information, Message = "Traces sampled by {Sampler} (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG); GenAI metrics count every call")]
    public static partial void Sampling(ILogger logger, string sampler);
}
