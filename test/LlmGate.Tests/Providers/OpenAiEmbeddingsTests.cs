using System.Text;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class OpenAiEmbeddingsTests
{
    [Theory]
    [InlineData("""{"input":"x","encoding_format":"base64"}""", true)]
    [InlineData("""{"encoding_format":"float","input":"x"}""", false)]
    [InlineData("""{"input":"x","nested":{"encoding_format":"base64"}}""", false)]
    [InlineData("""{"input":"x"}""", false)]
    [InlineData("[]", false)]
    public void WantsBase64_EncodingFormat(string body, bool expected)
    {
        Assert.Equal(expected, OpenAiEmbeddings.WantsBase64(Encoding.UTF8.GetBytes(body)));
    }
}
