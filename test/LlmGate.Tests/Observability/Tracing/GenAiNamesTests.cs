using LlmGate.Calls;
using LlmGate.Observability.Tracing;

namespace LlmGate.Tests.Observability.Tracing;

/// <summary>LlmGate's provider names, call types and failures map to the GenAI conventions' values.</summary>
public sealed class GenAiNamesTests
{
    [Theory]
    [InlineData("openai", "openai")]
    [InlineData("text-completion-openai", "openai")]
    [InlineData("anthropic", "anthropic")]
    [InlineData("azure", "azure.ai.openai")]
    [InlineData("azure_ai", "azure.ai.inference")]
    [InlineData("bedrock", "aws.bedrock")]
    [InlineData("vertex_ai", "gcp.vertex_ai")]
    [InlineData("gemini", "gcp.gemini")]
    [InlineData("cohere", "cohere")]
    [InlineData("cohere_chat", "cohere")]
    [InlineData("mistral", "mistral_ai")]
    [InlineData("codestral", "mistral_ai")]
    [InlineData("groq", "groq")]
    [InlineData("deepseek", "deepseek")]
    [InlineData("xai", "x_ai")]
    [InlineData("perplexity", "perplexity")]
    [InlineData("watsonx", "ibm.watsonx.ai")]
    [InlineData("hosted_vllm", "hosted_vllm")]
    [InlineData("cloudflare", "cloudflare")]
    public void Provider_KnownToTheConventions_TheirValueElseLlmGatesName(string provider, string expected) =>
        Assert.Equal(expected, GenAiNames.Provider(provider));

    [Theory]
    [InlineData("acompletion", "chat")]
    [InlineData("atext_completion", "text_completion")]
    [InlineData("aembedding", "embeddings")]
    public void Operation_CallType_GenAiOperationName(string callType, string expected) =>
        Assert.Equal(expected, GenAiNames.Operation(callType));

    [Theory]
    [InlineData(nameof(FailureKind.UpstreamError), 503, "503")]
    [InlineData(nameof(FailureKind.UpstreamError), 418, "418")]
    [InlineData(nameof(FailureKind.Timeout), 504, "timeout")]
    [InlineData(nameof(FailureKind.ConnectionFailure), 502, "connection_error")]
    [InlineData(nameof(FailureKind.Refused), 429, "429")]
    public void ErrorType_Failure_LowCardinalityText(string kind, int status, string expected) =>
        Assert.Equal(expected, GenAiNames.ErrorType(Enum.Parse<FailureKind>(kind), status));

    [Fact]
    public void Boxed_SameNumberTwice_SameObject()
    {
        Assert.Same(GenAiNames.Boxed(200), GenAiNames.Boxed(200));
        Assert.Equal(1000, GenAiNames.Boxed(1000));
    }
}
