using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Providers.Cohere;

namespace LlmGate.Tests.Providers.Cohere;

public sealed class CohereEmbeddingsTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void ToEmbed_Inputs_TextsAsDocumentsInFloats()
    {
        var result = JsonNode.Parse(CohereEmbeddings.ToEmbed(Utf8("""{"model":"group","input":["a","b"],"encoding_format":"base64","user":"u"}"""), "embed-english-v3.0"))!;

        Assert.Equal("""{"model":"embed-english-v3.0","texts":["a","b"],"input_type":"search_document","embedding_types":["float"]}""", result.ToJsonString());
    }

    [Fact]
    public void ToEmbed_InputTypeAndDimensions_Passed()
    {
        var result = JsonNode.Parse(CohereEmbeddings.ToEmbed(Utf8("""{"input":"q","input_type":"search_query","dimensions":512}"""), "embed-v4.0"))!;

        Assert.Equal("""{"model":"embed-v4.0","texts":["q"],"input_type":"search_query","embedding_types":["float"],"output_dimension":512}""", result.ToJsonString());
    }

    [Theory]
    [InlineData("""{"input":[[1,2]]}""", "input")]
    [InlineData("""{"input":[]}""", "input")]
    [InlineData("""{"input":"x","encoding_format":"int8"}""", "encoding_format")]
    public void ToEmbed_UnsupportedInput_Refused(string body, string param)
    {
        Assert.Equal(param, Assert.Throws<ProviderRequestException>(() => CohereEmbeddings.ToEmbed(Utf8(body), "embed-v4.0")).Param);
    }

    [Fact]
    public void FromEmbed_Floats_OpenAiListWithBilledInputTokens()
    {
        var body = """
            {"id":"e1","texts":["a","b"],"embeddings":{"float":[[0.5,-0.25],[1,0]]},
             "meta":{"api_version":{"version":"2"},"billed_units":{"input_tokens":2}},"response_type":"embeddings_by_type"}
            """;

        var result = JsonNode.Parse(CohereEmbeddings.FromEmbed(Utf8(body), "embed-v4.0", base64: false, out var usage))!;

        Assert.Equal(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-0.25]},{"object":"embedding","index":1,"embedding":[1,0]}],"model":"embed-v4.0","usage":{"prompt_tokens":2,"total_tokens":2}}""",
            result.ToJsonString());
        Assert.Equal(new TokenUsage(2, 0), usage);
    }

    [Fact]
    public void FromEmbed_Base64AndTheOlderFloatsShape_DecodesToTheSameFloats()
    {
        float[] values = [0.1f, -0.25f, 3f];
        var body = new JsonObject { ["embeddings"] = new JsonArray(new JsonArray([.. values.Select(v => (JsonNode)v)])) };

        var result = JsonNode.Parse(CohereEmbeddings.FromEmbed(Utf8(body.ToJsonString()), "m", base64: true, out var usage))!;

        var bytes = Convert.FromBase64String(result["data"]![0]!["embedding"]!.GetValue<string>());
        Assert.Equal(values, Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4)));
        Assert.Equal(new TokenUsage(0, 0), usage);
    }

    [Theory]
    [InlineData("""{"message":"invalid api token"}""")]
    [InlineData("""{"embeddings":{"int8":[[1]]}}""")]
    public void FromEmbed_NotAnEmbedResponse_JsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => CohereEmbeddings.FromEmbed(Utf8(body), "m", base64: false, out _));
    }
}
