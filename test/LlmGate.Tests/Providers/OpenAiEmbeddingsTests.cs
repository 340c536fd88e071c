using System.Text;
using System.Text.Json;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class OpenAiEmbeddingsTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("""{"input":"x","encoding_format":"base64"}""", true)]
    [InlineData("""{"encoding_format":"float","input":"x"}""", false)]
    [InlineData("""{"input":"x","nested":{"encoding_format":"base64"}}""", false)]
    [InlineData("""{"input":"x"}""", false)]
    [InlineData("[]", false)]
    public void WantsBase64_EncodingFormat(string body, bool expected)
    {
        Assert.Equal(expected, OpenAiEmbeddings.WantsBase64(Utf8(body)));
    }

    [Fact]
    public void Read_StringOrList_TheTextsInOrder()
    {
        Assert.Equal(["one"], OpenAiEmbeddings.Read(Utf8("""{"input":"one"}"""), "P").Inputs);
        Assert.Equal(["a", "b"], OpenAiEmbeddings.Read(Utf8("""{"input":["a","b"],"dimensions":3}"""), "P").Inputs);
    }

    [Fact]
    public void Read_TokenArrays_RefusedNamingTheProvider()
    {
        var exception = Assert.Throws<ProviderRequestException>(() => OpenAiEmbeddings.Read(Utf8("""{"input":[[1,2]]}"""), "Cohere"));

        Assert.Equal(("Token-array inputs are not supported by Cohere's embeddings; send text.", "input"), (exception.Message, exception.Param));
    }

    [Fact]
    public void Write_NotAList_JsonException()
    {
        using var document = JsonDocument.Parse("""[{"v":1}]""");

        Assert.ThrowsAny<JsonException>(() => OpenAiEmbeddings.Write(document.RootElement.EnumerateArray(), "m", base64: false, 0, 16));
    }
}
