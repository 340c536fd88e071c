using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Providers.Aws;

namespace LlmGate.Tests.Providers.Aws;

public sealed class BedrockEmbeddingsTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void ToTitan_Inputs_OneBodyEachWithDimensionsAndNormalize()
    {
        var bodies = BedrockEmbeddings.ToTitan(Utf8("""{"model":"titan","input":["a","b"],"dimensions":256,"normalize":true,"encoding_format":"base64","user":"u"}"""));

        Assert.Equal(
            ["""{"inputText":"a","dimensions":256,"normalize":true}""", """{"inputText":"b","dimensions":256,"normalize":true}"""],
            bodies.Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void ToTitan_StringInput_OneBody()
    {
        Assert.Equal("""{"inputText":"hello"}""", Encoding.UTF8.GetString(Assert.Single(BedrockEmbeddings.ToTitan(Utf8("""{"input":"hello"}""")))));
    }

    [Theory]
    [InlineData("""{"input":[1,2,3]}""", "input")]
    [InlineData("""{"input":[]}""", "input")]
    [InlineData("""{"input":"x","encoding_format":"int8"}""", "encoding_format")]
    public void ToTitanAndToCohere_UnsupportedInput_Refused(string body, string param)
    {
        var titan = Assert.Throws<ProviderRequestException>(() => BedrockEmbeddings.ToTitan(Utf8(body)));
        var cohere = Assert.Throws<ProviderRequestException>(() => BedrockEmbeddings.ToCohere(Utf8(body)));

        Assert.Equal((param, param), (titan.Param, cohere.Param));
    }

    [Fact]
    public void FromTitan_Answers_ListInOrderWithSummedTokens()
    {
        ReadOnlyMemory<byte>[] answers = [Utf8("""{"embedding":[0.5,-1.0],"inputTextTokenCount":3}"""), Utf8("""{"embedding":[2,0.125],"inputTextTokenCount":4,"embeddingsByType":{}}""")];

        var result = JsonNode.Parse(BedrockEmbeddings.FromTitan(answers, "amazon.titan-embed-text-v2:0", base64: false, out var usage))!;

        Assert.Equal(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1.0]},{"object":"embedding","index":1,"embedding":[2,0.125]}],"model":"amazon.titan-embed-text-v2:0","usage":{"prompt_tokens":7,"total_tokens":7}}""",
            result.ToJsonString());
        Assert.Equal(new TokenUsage(7, 0), usage);
    }

    [Fact]
    public void FromTitan_Base64_DecodesToTheSameFloats()
    {
        float[] values = [0.1f, -0.25f, 3f, -1234.5678f];
        var answer = new JsonObject { ["embedding"] = new JsonArray([.. values.Select(v => (JsonNode)v)]), ["inputTextTokenCount"] = 1 };

        var result = JsonNode.Parse(BedrockEmbeddings.FromTitan([Utf8(answer.ToJsonString())], "m", base64: true, out _))!;

        Assert.Equal(values, Base64Floats.Decode(result["data"]![0]!["embedding"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"message":"Too many requests"}""")]
    [InlineData("[]")]
    [InlineData("not json")]
    public void FromTitan_NotAnEmbedding_JsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => BedrockEmbeddings.FromTitan([Utf8(body)], "m", base64: false, out _));
    }

    [Fact]
    public void ToCohere_Inputs_TextsWithSearchDocumentInputType()
    {
        Assert.Equal(
            """{"texts":["a","b"],"input_type":"search_document"}""",
            Encoding.UTF8.GetString(BedrockEmbeddings.ToCohere(Utf8("""{"model":"cohere","input":["a","b"],"encoding_format":"float"}"""))));
    }

    [Fact]
    public void ToCohere_CohereFieldsAndDimensions_Mapped()
    {
        Assert.Equal(
            """{"texts":["q"],"input_type":"search_query","truncate":"END","output_dimension":512}""",
            Encoding.UTF8.GetString(BedrockEmbeddings.ToCohere(Utf8("""{"input":"q","input_type":"search_query","truncate":"END","dimensions":512}"""))));
    }

    [Fact]
    public void FromCohere_FloatLists_ListWithTheHeadersTokenCount()
    {
        var body = """{"id":"e1","response_type":"embeddings_floats","embeddings":[[0.5,-1.0],[2,0.125]],"texts":["a","b"]}""";

        var result = JsonNode.Parse(BedrockEmbeddings.FromCohere(Utf8(body), "cohere.embed-english-v3", base64: true, promptTokens: 6, out var usage))!;

        Assert.Equal(new TokenUsage(6, 0), usage);
        Assert.Equal("""{"prompt_tokens":6,"total_tokens":6}""", result["usage"]!.ToJsonString());
        Assert.Equal([0.5f, -1f], Base64Floats.Decode(result["data"]![0]!["embedding"]!.GetValue<string>()));
        Assert.Equal([2f, 0.125f], Base64Floats.Decode(result["data"]![1]!["embedding"]!.GetValue<string>()));
    }

    [Fact]
    public void FromCohere_TypedEmbeddings_FloatListRead()
    {
        var body = """{"id":"e1","response_type":"embeddings_by_type","embeddings":{"float":[[0.25]]},"texts":["a"]}""";

        var result = JsonNode.Parse(BedrockEmbeddings.FromCohere(Utf8(body), "cohere.embed-v4:0", base64: false, promptTokens: 0, out _))!;

        Assert.Equal("[0.25]", result["data"]![0]!["embedding"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"message":"x"}""")]
    [InlineData("""{"embeddings":{"int8":[[1]]}}""")]
    [InlineData("""{"embeddings":[{"values":[1]}]}""")]
    public void FromCohere_NotEmbeddings_JsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => BedrockEmbeddings.FromCohere(Utf8(body), "m", base64: false, promptTokens: 0, out _));
    }
}
