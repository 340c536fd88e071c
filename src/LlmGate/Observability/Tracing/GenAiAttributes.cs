namespace LlmGate.Observability.Tracing;

/// <summary>The attribute names of the OpenTelemetry GenAI semantic conventions, and LlmGate's own beside them.</summary>
internal static class GenAiAttributes
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string FinishReasons = "gen_ai.response.finish_reasons";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string HttpStatusCode = "http.response.status_code";

    public const string CallId = "llmgate.call_id";
    public const string DeploymentId = "llmgate.deployment.id";
    public const string Attempt = "llmgate.attempt";
    public const string ModelGroup = "llmgate.model_group";
}
