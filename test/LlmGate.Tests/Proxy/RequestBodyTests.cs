using System.Text;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;
using LlmGate.Proxy;

namespace LlmGate.Tests.Proxy;

public sealed class RequestBodyTests
{
    private static RequestSummary Inspect(string json, string required = "messages") =>
        RequestBodyInspector.Inspect(Encoding.UTF8.GetBytes(json), required);

    [Fact]
    public void Inspect_ChatBody_ReadsModelStreamAndMessages()
    {
        var summary = Inspect("""{"messages":[{"role":"user","content":"hi"}],"stream":true,"model":"gpt-4o"}""");

        Assert.Null(summary.Error);
        Assert.Equal("gpt-4o", summary.Model);
        Assert.True(summary.Stream);
        Assert.True(summary.RequiredInputPresent);
        Assert.True(summary.RequiredInputNotEmpty);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[]}""", true, false)]
    [InlineData("""{"model":"m","messages":null}""", true, false)]
    [InlineData("""{"model":"m"}""", false, false)]
    public void Inspect_MissingOrEmptyMessages_IsReported(string json, bool present, bool notEmpty)
    {
        var summary = Inspect(json);

        Assert.Equal(present, summary.RequiredInputPresent);
        Assert.Equal(notEmpty, summary.RequiredInputNotEmpty);
    }

    [Theory]
    [InlineData("""{"model":"m",""")]
    [InlineData("""{"model":"m"} {}""")]
    [InlineData("""{"model":'m'}""")]
    [InlineData("")]
    public void Inspect_InvalidJson_ReportsErrorWithoutEchoingBody(string json)
    {
        var summary = Inspect(json);

        Assert.NotNull(summary.Error);
        Assert.DoesNotContain("'m'", summary.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":5,"messages":[]}""", "a number")]
    [InlineData("""{"model":{"name":"m"},"messages":[]}""", "an object")]
    [InlineData("""{"model":["m"],"messages":[]}""", "an array")]
    [InlineData("""{"model":true,"messages":[]}""", "a boolean")]
    public void Inspect_ModelThatIsNoString_SaysSoInOpenAisWords(string json, string got)
    {
        var summary = Inspect(json);

        Assert.Equal($"Invalid type for 'model': expected a string, but got {got} instead.", summary.Error);
        Assert.Null(summary.Model);
    }

    [Fact]
    public void Inspect_NullModel_IsAMissingModelNotAnError()
    {
        var summary = Inspect("""{"model":null,"messages":[]}""");

        Assert.Null(summary.Error);
        Assert.Null(summary.Model);
    }

    [Theory]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate encoded as UTF-8 (CESU-8)
    [InlineData(new byte[] { 0xC3 })] // a sequence cut short
    [InlineData(new byte[] { 0xFF })]
    public void Inspect_StringNotUtf8_IsRefusedWithoutDecodingIt(byte[] bad)
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"x"}]}""").ToList();
        body.InsertRange(body.IndexOf((byte)'x'), bad);

        Assert.Equal("The request body is not valid UTF-8.", RequestBodyInspector.Inspect(body.ToArray(), "messages").Error);
    }

    [Theory]
    [InlineData("""\ud800""", "d800")]
    [InlineData("""\uDBFF tail""", "dbff")]
    [InlineData("""\udc00""", "dc00")]
    [InlineData("""\ud83d\u0041""", "d83d")]
    [InlineData("""\ude00\ud83d""", "de00")]
    [InlineData("""ok \ud83d\ude00 then \ud83d""", "d83d")]
    public void Inspect_UnpairedSurrogateEscape_IsRefused(string content, string unit)
    {
        var summary = Inspect($$"""{"model":"m","messages":[{"role":"user","content":"{{content}}"}]}""");

        Assert.Equal($"The request body holds an unpaired surrogate escape (\\u{unit}) in a string, which is no Unicode character.", summary.Error);
    }

    [Theory]
    [InlineData("""\ud83d\ude00""")] // 😀 as Python's json.dumps writes it
    [InlineData("""\uD83D\uDE00""")]
    [InlineData("""\u00e9 \" \\ \n""")]
    [InlineData("""\\ud800""")] // an escaped backslash, then the text "ud800"
    [InlineData("""😀 é""")]
    public void Inspect_UnicodeText_IsAccepted(string content)
    {
        var summary = Inspect($$"""{"model":"m","messages":[{"role":"user","content":"{{content}}"}]}""");

        Assert.Null(summary.Error);
        Assert.True(summary.RequiredInputNotEmpty);
    }

    [Fact]
    public void Inspect_StreamNotTrue_IsNotStream()
    {
        Assert.False(Inspect("""{"model":"m","messages":[1],"stream":false}""").Stream);
        Assert.False(Inspect("""{"model":"m","messages":[1],"stream":"true"}""").Stream);
    }

    [Fact]
    public void Rewrite_SameModelNoGatewayFields_ForwardsOriginalBytes()
    {
        var body = Encoding.UTF8.GetBytes("""{ "model" : "gpt-4o",  "messages":[{"role":"user","content":"hi"}] }""");
        var summary = RequestBodyInspector.Inspect(body, "messages");

        var rewritten = RequestBodyRewriter.Rewrite(body, summary, "gpt-4o");

        Assert.True(rewritten.Span.SequenceEqual(body));
    }

    [Fact]
    public void Rewrite_NewModelAndGatewayFields_ReplacesModelDropsFieldsKeepsEverythingElseVerbatim()
    {
        const string Json = """{"api_base":"http://evil","model":"openai/gpt-4o","messages":[{"role":"user","content":"h\u00e9 \"q\""}],"n":2,"mock_response":"x","extra":{"deep":[1.50,true]},"api_key":"sk-c"}""";
        var body = Encoding.UTF8.GetBytes(Json);
        var summary = RequestBodyInspector.Inspect(body, "messages");

        var rewritten = Encoding.UTF8.GetString(RequestBodyRewriter.Rewrite(body, summary, "gpt-4o").Span);

        Assert.Equal("""{"model":"gpt-4o","messages":[{"role":"user","content":"h\u00e9 \"q\""}],"n":2,"extra":{"deep":[1.50,true]}}""", rewritten);
        Assert.NotNull(JsonNode.Parse(rewritten));
    }

    [Fact]
    public void Rewrite_ModelNeedingEscapes_IsValidJson()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"a","messages":[1]}""");
        var summary = RequestBodyInspector.Inspect(body, "messages");

        var rewritten = RequestBodyRewriter.Rewrite(body, summary, "we\"ird/mod\\el");

        Assert.Equal("we\"ird/mod\\el", JsonNode.Parse(rewritten.Span)!["model"]!.GetValue<string>());
    }
}
