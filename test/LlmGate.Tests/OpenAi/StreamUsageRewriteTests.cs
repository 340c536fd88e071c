using System.Text;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;

namespace LlmGate.Tests.OpenAi;

/// <summary>How <see cref="RequestBodyRewriter"/> asks an upstream for a stream's usage: one splice, the client's bytes otherwise kept.</summary>
public sealed class StreamUsageRewriteTests
{
    [Theory]
    [InlineData("""{"model":"m", "stream": true, "messages":[] }""", """{"model":"m", "stream": true, "messages":[],"stream_options":{"include_usage":true} }""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"continuous_usage_stats":false}}""", """{"model":"m","stream":true,"stream_options":{"include_usage":true,"continuous_usage_stats":false}}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{ }}""", """{"model":"m","stream":true,"stream_options":{"include_usage":true }}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"a":1,"include_usage": false},"n":1}""", """{"model":"m","stream":true,"stream_options":{"a":1,"include_usage": true},"n":1}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_usage":null}}""", """{"model":"m","stream":true,"stream_options":{"include_usage":true}}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":null}""", """{"model":"m","stream":true,"stream_options":{"include_usage":true}}""")]
    public void Rewrite_ClientDidNotAsk_IncludeUsageSpliced(string body, string expected)
    {
        var sent = Rewrite(body, "m");

        Assert.Equal(expected, sent);
        Assert.True(JsonNode.Parse(sent)!["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public void Rewrite_ClientAsked_BodyUntouched()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"m","stream":true,"stream_options":{"include_usage":true}}""");
        var summary = RequestBodyInspector.Inspect(body, null);

        var sent = RequestBodyRewriter.Rewrite(body, summary, "m", askForStreamUsage: true);

        Assert.True(summary.IncludeUsage);
        Assert.True(sent.Span == body.AsSpan(), "the client's own bytes go up");
    }

    [Fact]
    public void Rewrite_NotAsked_BodyUntouched()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"m","stream":true}""");

        var sent = RequestBodyRewriter.Rewrite(body, RequestBodyInspector.Inspect(body, null), "m", askForStreamUsage: false);

        Assert.True(sent.Span == body.AsSpan());
    }

    [Theory]
    [InlineData("""{"model":"group","stream":true,"api_key":"k","messages":[]}""", """{"model":"gpt-4o","stream":true,"messages":[],"stream_options":{"include_usage":true}}""")]
    [InlineData("""{"model":"group","stream_options":{"x":1},"stream":true,"api_key":"k"}""", """{"model":"gpt-4o","stream_options":{"include_usage":true,"x":1},"stream":true}""")]
    [InlineData("""{"api_key":"k","stream_options":{"include_usage":false},"stream":true}""", """{"model":"gpt-4o","stream_options":{"include_usage":true},"stream":true}""")]
    public void Rewrite_ModelReplacedAndGatewayFieldsDropped_IncludeUsageSplicedToo(string body, string expected)
    {
        Assert.Equal(expected, Rewrite(body, "gpt-4o"));
    }

    private static string Rewrite(string body, string upstreamModel)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var summary = RequestBodyInspector.Inspect(bytes, null);
        Assert.Null(summary.Error);
        return Encoding.UTF8.GetString(RequestBodyRewriter.Rewrite(bytes, summary, upstreamModel, askForStreamUsage: true).Span);
    }
}
