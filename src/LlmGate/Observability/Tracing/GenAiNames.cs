using System.Globalization;
using LlmGate.Calls;

namespace LlmGate.Observability.Tracing;

/// <summary>LlmGate's names mapped to the GenAI conventions' values: operations, providers, error types.</summary>
internal static class GenAiNames
{
    // Boxed once: attempt numbers and statuses are span attributes, and Activity.SetTag takes an object.
    private static readonly string[] StopReasons = ["stop"];
    private static readonly string[] LengthReasons = ["length"];
    private static readonly string[] ToolCallReasons = ["tool_calls"];
    private static readonly object[] BoxedNumbers = [.. Enumerable.Range(0, 600).Select(i => (object)i)];

    /// <summary><c>gen_ai.operation.name</c> for LiteLLM's call type.</summary>
    public static string Operation(string callType) => callType switch
    {
        "atext_completion" => "text_completion",
        "aembedding" => "embeddings",
        _ => "chat",
    };

    /// <summary>
    /// <c>gen_ai.provider.name</c>: the conventions' well-known value where there is one, LlmGate's provider name
    /// (LiteLLM's prefix) otherwise.
    /// </summary>
    public static string Provider(string provider) => provider switch
    {
        "openai" or "text-completion-openai" => "openai",
        "anthropic" => "anthropic",
        "azure" => "azure.ai.openai",
        "azure_ai" => "azure.ai.inference",
        "bedrock" => "aws.bedrock",
        "vertex_ai" => "gcp.vertex_ai",
        "gemini" => "gcp.gemini",
        "cohere" or "cohere_chat" => "cohere",
        "mistral" or "codestral" => "mistral_ai",
        "groq" => "groq",
        "deepseek" => "deepseek",
        "xai" => "x_ai",
        "perplexity" => "perplexity",
        "watsonx" => "ibm.watsonx.ai",
        _ => provider,
    };

    /// <summary>
    /// <c>error.type</c> of a failure: <c>timeout</c>, <c>connection_error</c>, else the status the client or the
    /// attempt got. Low cardinality by construction: never a message.
    /// </summary>
    public static string ErrorType(FailureKind kind, int status) => kind switch
    {
        FailureKind.Timeout => "timeout",
        FailureKind.ConnectionFailure => "connection_error",
        _ => StatusText(status),
    };

    /// <summary>The attribute's value, a string array as the conventions define it; one array per known reason, made once.</summary>
    public static string[] FinishReasons(string finishReason) => finishReason switch
    {
        "stop" => StopReasons,
        "length" => LengthReasons,
        "tool_calls" => ToolCallReasons,
        _ => [finishReason],
    };

    public static object Boxed(int number) => (uint)number < (uint)BoxedNumbers.Length ? BoxedNumbers[number] : number;

    private static string StatusText(int status) => status switch
    {
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        408 => "408",
        413 => "413",
        422 => "422",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}
