namespace LlmGate.Observability.Tracing;

/// <summary>Where the <c>otel</c> callback's traces and metrics go.</summary>
internal enum OtelProtocol
{
    /// <summary>Standard output (LiteLLM's default when no endpoint is set).</summary>
    Console,

    /// <summary>OTLP over HTTP, protobuf bodies, to <c>/v1/traces</c> and <c>/v1/metrics</c>.</summary>
    HttpProtobuf,

    /// <summary>OTLP over gRPC.</summary>
    Grpc,
}
