using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Providers.Aws;
using static LlmGate.Tests.Providers.Aws.EventStreamFrames;

namespace LlmGate.Tests.Providers.Aws;

public sealed class BedrockAnthropicInvokeTests
{
    private static readonly string[] AnthropicEvents =
    [
        """{"type":"message_start","message":{"id":"msg_bdrk_1","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022","content":[],"usage":{"input_tokens":25,"output_tokens":1}}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" wörld"}}""",
        """{"type":"content_block_stop","index":0}""",
        """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}""",
        """{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":25,"outputTokenCount":15,"invocationLatency":500,"firstByteLatency":200}}""",
    ];

    // As InvokeModelWithResponseStream sends them: each Anthropic event base64 in a chunk event, beside Bedrock's padding.
    private static byte[] Chunk(string anthropicEvent) =>
        Event("chunk", $$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(anthropicEvent))}}","p":"abcdefgh"}""");

    private static async Task<(string Output, BedrockAnthropicStreamTranslator Translator)> Run(byte[] stream, int pieceSize = int.MaxValue, bool includeUsage = false)
    {
        var translator = new BedrockAnthropicStreamTranslator("bedrock-claude", 1_700_000_000, includeUsage);
        return (await TranslatedStreams.RunAsync(translator, stream, pieceSize), translator);
    }

    [Fact]
    public void Translate_ChatRequest_AnthropicBodyWithBedrockVersionNoModelNoStream()
    {
        var result = JsonNode.Parse(BedrockAnthropicInvoke.Translate(Encoding.UTF8.GetBytes("""
            {"model":"bedrock/invoke/claude","stream":true,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"max_tokens":64,"temperature":0.5}
            """)))!;

        Assert.Equal(
            """{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"system":"Be brief.","messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],"temperature":0.5}""",
            result.ToJsonString());
    }

    [Fact]
    public void TranslateForVertex_StillVertexVersion()
    {
        var result = JsonNode.Parse(AnthropicRequestTranslator.TranslateForVertex(Encoding.UTF8.GetBytes("""{"messages":[{"role":"user","content":"Hi"}]}"""), stream: true))!;

        Assert.Equal(("vertex-2023-10-16", true), (result["anthropic_version"]!.GetValue<string>(), result["stream"]!.GetValue<bool>()));
        Assert.Null(result["model"]);
    }

    [Fact]
    public void Unwrap_Chunk_AnthropicEventTypedByItsType()
    {
        var anthropicEvent = AnthropicEvents[2];

        var unwrapped = BedrockAnthropicInvoke.Unwrap(Encoding.UTF8.GetBytes($$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(anthropicEvent))}}"}"""));

        Assert.Equal(("content_block_delta", anthropicEvent), (unwrapped.Type, Encoding.UTF8.GetString(unwrapped.Data.Span)));
    }

    [Theory]
    [InlineData("""{"p":"abc"}""")]
    [InlineData("""{"bytes":"not base64!"}""")]
    [InlineData("""{"bytes":42}""")]
    public void Unwrap_NoBase64Bytes_JsonException(string chunk)
    {
        Assert.ThrowsAny<JsonException>(() => BedrockAnthropicInvoke.Unwrap(Encoding.UTF8.GetBytes(chunk)));
    }

    [Fact]
    public async Task Translate_InvokeStream_SameChunksAsAnthropicsOwnStream()
    {
        var (output, translator) = await Run(Concat([.. AnthropicEvents.Select(Chunk)]), includeUsage: true);

        Assert.True(translator.Finished);
        var chunks = TranslatedStreams.Chunks(output);
        Assert.Equal("Hello wörld", string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>())));
        Assert.All(chunks, c => Assert.Equal("msg_bdrk_1", c["id"]!.GetValue<string>()));
        Assert.Equal("stop", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("""{"prompt_tokens":25,"completion_tokens":15,"total_tokens":40}""", chunks[^1]["usage"]!.ToJsonString());
        Assert.EndsWith("data: [DONE]\n\n", output, StringComparison.Ordinal);
        Assert.Equal(new TokenUsage(25, 15), translator.Usage);
    }

    [Fact]
    public async Task Translate_InvokeStreamSplitAtEveryByte_SameOutputAsWhole()
    {
        var stream = Concat([.. AnthropicEvents.Select(Chunk)]);
        var (whole, _) = await Run(stream, includeUsage: true);

        for (var pieceSize = 1; pieceSize <= stream.Length; pieceSize++)
        {
            var (output, translator) = await Run(stream, pieceSize, includeUsage: true);
            Assert.True(translator.Finished, $"piece size {pieceSize}");
            Assert.Equal(whole, output);
        }
    }

    [Fact]
    public async Task Translate_ExceptionMidStream_OpenAiErrorEventAndFinished()
    {
        var stream = Concat(Chunk(AnthropicEvents[0]), Chunk(AnthropicEvents[2]), ExceptionFrame("serviceUnavailableException", """{"message":"Bedrock is unable to process your request."}"""), Chunk(AnthropicEvents[3]));

        var (output, translator) = await Run(stream);

        Assert.True(translator.Finished);
        Assert.Equal("Bedrock is unable to process your request.", translator.ErrorMessage);
        Assert.DoesNotContain("[DONE]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("wörld", output, StringComparison.Ordinal);
        var error = TranslatedStreams.Chunks(output)[^1]["error"]!;
        Assert.Equal("api_error", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_AnthropicErrorEventInAChunk_AnthropicsErrorHandling()
    {
        var stream = Concat(Chunk(AnthropicEvents[0]), Chunk("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));

        var (output, translator) = await Run(stream);

        Assert.True(translator.Finished);
        Assert.Equal("Overloaded", translator.ErrorMessage);
        Assert.Contains("\"type\":\"api_error\"", output, StringComparison.Ordinal);
    }
}
