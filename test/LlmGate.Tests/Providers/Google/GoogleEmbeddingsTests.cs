using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Providers.Google;

namespace LlmGate.Tests.Providers.Google;

public sealed class GoogleEmbeddingsTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static float[] Decode(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        return [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4))];
    }

    [Fact]
    public void ToGeminiBatch_Inputs_OneRequestEachWithModelAndDimensions()
    {
        var result = JsonNode.Parse(GoogleEmbeddings.ToGeminiBatch(Utf8("""{"model":"emb","input":["a","b"],"dimensions":256,"user":"u"}"""), "text-embedding-004"))!;

        Assert.Equal(
            """{"requests":[{"model":"models/text-embedding-004","content":{"parts":[{"text":"a"}]},"outputDimensionality":256},{"model":"models/text-embedding-004","content":{"parts":[{"text":"b"}]},"outputDimensionality":256}]}""",
            result.ToJsonString());
    }

    [Fact]
    public void ToGeminiBatch_StringInputModelWithPrefix_OneRequestNoDimensions()
    {
        var result = JsonNode.Parse(GoogleEmbeddings.ToGeminiBatch(Utf8("""{"input":"hello"}"""), "models/gemini-embedding-001"))!;

        Assert.Equal("""{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"hello"}]}}]}""", result.ToJsonString());
    }

    [Fact]
    public void ToVertexPredict_Inputs_InstancesAndOutputDimensionality()
    {
        Assert.Equal(
            """{"instances":[{"content":"a"},{"content":"b"}],"parameters":{"outputDimensionality":64}}""",
            JsonNode.Parse(GoogleEmbeddings.ToVertexPredict(Utf8("""{"input":["a","b"],"dimensions":64,"encoding_format":"float"}""")))!.ToJsonString());
        Assert.Equal("""{"instances":[{"content":"x"}]}""", JsonNode.Parse(GoogleEmbeddings.ToVertexPredict(Utf8("""{"input":"x"}""")))!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"input":[1,2,3]}""", "input")]
    [InlineData("""{"input":[[1,2],[3]]}""", "input")]
    [InlineData("""{"input":[]}""", "input")]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"input":"x","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("[]", null)]
    public void ToGeminiBatchAndToVertexPredict_UnsupportedInput_Refused(string body, string? param)
    {
        var gemini = Assert.Throws<ProviderRequestException>(() => GoogleEmbeddings.ToGeminiBatch(Utf8(body), "m"));
        var vertex = Assert.Throws<ProviderRequestException>(() => GoogleEmbeddings.ToVertexPredict(Utf8(body)));

        Assert.Equal((param, param), (gemini.Param, vertex.Param));
    }

    [Fact]
    public void ToGeminiBatch_TokenArrays_SaysNotSupported()
    {
        var exception = Assert.Throws<ProviderRequestException>(() => GoogleEmbeddings.ToGeminiBatch(Utf8("""{"input":[1,2]}"""), "m"));

        Assert.Contains("not supported", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromGeminiBatch_Floats_OpenAiListWithZeroUsage()
    {
        // Gemini indents its answers.
        var body = """
            {
              "embeddings": [
                {"values": [0.1, -0.25, 3]},
                {"values": [1e-3, 0]}
              ]
            }
            """;

        var result = JsonNode.Parse(GoogleEmbeddings.FromGeminiBatch(Utf8(body), "text-embedding-004", base64: false, out var usage))!;

        Assert.Equal(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.25,3]},{"object":"embedding","index":1,"embedding":[1e-3,0]}],"model":"text-embedding-004","usage":{"prompt_tokens":0,"total_tokens":0}}""",
            result.ToJsonString());
        Assert.Equal(new TokenUsage(0, 0), usage);
    }

    [Fact]
    public void FromGeminiBatch_Base64_DecodesToTheSameFloats()
    {
        float[] values = [0.1f, -0.25f, 3f, float.Epsilon, -1234.5678f];
        var body = new JsonObject { ["embeddings"] = new JsonArray(new JsonObject { ["values"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) }) };

        var result = JsonNode.Parse(GoogleEmbeddings.FromGeminiBatch(Utf8(body.ToJsonString()), "m", base64: true, out _))!;

        Assert.Equal(values, Decode(result["data"]![0]!["embedding"]!.GetValue<string>()));
    }

    [Fact]
    public void FromVertexPredict_TokenCountsSummedAndBase64()
    {
        var body = """
            {"predictions":[{"embeddings":{"values":[0.5,-1.0],"statistics":{"token_count":5,"truncated":false}}},
                            {"embeddings":{"values":[2.0,0.125],"statistics":{"token_count":3.0,"truncated":false}}}],
             "metadata":{"billableCharacterCount":12}}
            """;

        var result = JsonNode.Parse(GoogleEmbeddings.FromVertexPredict(Utf8(body), "text-embedding-005", base64: true, out var usage))!;

        Assert.Equal(new TokenUsage(8, 0), usage);
        Assert.Equal("""{"prompt_tokens":8,"total_tokens":8}""", result["usage"]!.ToJsonString());
        Assert.Equal([0.5f, -1f], Decode(result["data"]![0]!["embedding"]!.GetValue<string>()));
        Assert.Equal([2f, 0.125f], Decode(result["data"]![1]!["embedding"]!.GetValue<string>()));
        Assert.Equal((1, "text-embedding-005"), (result["data"]![1]!["index"]!.GetValue<int>(), result["model"]!.GetValue<string>()));
    }

    [Fact]
    public void FromVertexPredict_Floats_Copied()
    {
        var result = JsonNode.Parse(GoogleEmbeddings.FromVertexPredict(Utf8("""{"predictions":[{"embeddings":{"values":[0.5,-1.0]}}]}"""), "m", base64: false, out var usage))!;

        Assert.Equal("[0.5,-1.0]", result["data"]![0]!["embedding"]!.ToJsonString());
        Assert.Equal(new TokenUsage(0, 0), usage);
    }

    [Theory]
    [InlineData("""{"error":{"code":400}}""")]
    [InlineData("""{"embeddings":[{"value":[1]}]}""")]
    [InlineData("[]")]
    public void FromGeminiBatch_NotEmbeddings_JsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => GoogleEmbeddings.FromGeminiBatch(Utf8(body), "m", base64: false, out _));
    }

    [Fact]
    public void FromVertexPredict_NotPredictions_JsonException()
    {
        Assert.ThrowsAny<JsonException>(() => GoogleEmbeddings.FromVertexPredict(Utf8("""{"embeddings":[]}"""), "m", base64: false, out _));
    }
}
