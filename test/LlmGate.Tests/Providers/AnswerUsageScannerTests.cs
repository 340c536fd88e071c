using System.Text;
using LlmGate.Calls;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class AnswerUsageScannerTests
{
    private const string Chat = """
        {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"the \"usage\": {} of it"},"finish_reason":"stop"}],
         "usage": {"prompt_tokens": 1200, "completion_tokens": 30, "total_tokens": 1230, "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
          "completion_tokens_details": {"reasoning_tokens": 12}}, "system_fingerprint": "fp_1"}
        """;

    [Fact]
    public void Scan_ChatAnswerSplitAtEveryByte_SameUsage()
    {
        var body = Encoding.UTF8.GetBytes(Chat);
        for (var cut = 0; cut <= body.Length; cut++)
        {
            Assert.Equal(new TokenUsage(1200, 30, 1024), Scan(body, cut));
        }
    }

    [Fact]
    public void Scan_OneByteReads_SameUsage()
    {
        var body = Encoding.UTF8.GetBytes(Chat);

        Assert.Equal(new TokenUsage(1200, 30, 1024), Scan(body, [.. Enumerable.Range(1, body.Length - 1)]));
    }

    [Fact]
    public void Scan_EmbeddingsAnswer_PromptTokensOnly()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"model":"m","usage":{"prompt_tokens":8,"total_tokens":8}}""");

        Assert.Equal(new TokenUsage(8, 0), Scan(body));
    }

    [Theory]
    [InlineData("""{"id":"x","choices":[]}""")]
    [InlineData("""{"id":"x","usage":null}""")]
    [InlineData("""{"object":"usage","usage":{}}""")]
    [InlineData("""<html>502 "usage": bad gateway</html>""")]
    [InlineData("""{"usage":{"prompt_tokens":1,}}""")]
    [InlineData("")]
    public void Scan_NoUsableUsage_Null(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);

        Assert.Null(Scan(body, Math.Min(3, body.Length)));
    }

    private static TokenUsage? Scan(byte[] body, params int[] cuts)
    {
        var scanner = new AnswerUsageScanner();
        var start = 0;
        foreach (var cut in cuts.Append(body.Length))
        {
            var read = body[start..cut];
            scanner.Scan(read);
            Array.Fill(read, (byte)'#');
            start = cut;
        }

        return scanner.Usage;
    }
}
