using System.Text;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class ChatStreamOptionsTests
{
    [Theory]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_usage":true}}""", true)]
    [InlineData("""{"stream_options":{"other":[1,{"include_usage":true}],"include_usage":true},"messages":[]}""", true)]
    [InlineData("""{"stream_options":{"include_usage":false}}""", false)]
    [InlineData("""{"stream_options":{}}""", false)]
    [InlineData("""{"stream_options":null}""", false)]
    [InlineData("""{"messages":[{"stream_options":{"include_usage":true}}]}""", false)]
    [InlineData("""{"model":"m"}""", false)]
    [InlineData("[]", false)]
    public void IncludeUsage_ReadsOnlyTheTopLevelStreamOptions(string body, bool expected)
    {
        Assert.Equal(expected, ChatStreamOptions.IncludeUsage(Encoding.UTF8.GetBytes(body)));
    }
}
