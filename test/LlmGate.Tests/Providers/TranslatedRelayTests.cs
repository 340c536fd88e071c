using System.Text;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Tests.Providers;

/// <summary>
/// An upstream whose JSON holds a string that is not text (an unpaired surrogate escape, bytes that are not UTF-8) is
/// the upstream's broken answer, as a body that is not JSON is: an <see cref="IOException"/> the forwarder reports as a
/// 502 the retries and cooldowns see, not an <see cref="InvalidOperationException"/> that became a 500 "internal error".
/// </summary>
public sealed class TranslatedRelayTests
{
    [Theory]
    [InlineData("""bad \ud800""")]
    [InlineData("""bad \udc00 too""")]
    public async Task Answer_TextThatIsNoUnicode_IsTheUpstreamsFailure(string text)
    {
        var answer = Encoding.UTF8.GetBytes($$$"""{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":"{{{text}}}"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}""");
        var context = new DefaultHttpContext();

        var failure = await Assert.ThrowsAsync<UnreadableAnswerException>(() => TranslatedAnswerRelay.RelayAsync(context, new MemoryStream(answer), Call(stream: false), a =>
        {
            var translated = AnthropicResponseTranslator.Translate(a.Span, "claude", 1, out var usage);
            return (translated, usage);
        }, "anthropic", "a message", CancellationToken.None));

        Assert.Equal("provider anthropic answered with a body that is not a message.", failure.Message);
        Assert.False(context.Response.HasStarted);
    }

    [Fact]
    public async Task Stream_EventWithBytesThatAreNotUtf8_IsTheUpstreamsFailure()
    {
        var events = new List<byte>();
        events.AddRange(Encoding.UTF8.GetBytes("""
            event: message_start
            data: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"claude","content":[],"usage":{"input_tokens":1,"output_tokens":0}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x 
            """.ReplaceLineEndings("\n")));
        events.AddRange([0xED, 0xA0, 0x80]); // a surrogate encoded as UTF-8, which UTF-8 forbids
        events.AddRange(Encoding.UTF8.GetBytes("\"}}\n\n"));
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var call = Call(stream: true);
        var translator = new AnthropicStreamTranslator("claude", 1, includeUsage: false);

        var failure = await Assert.ThrowsAsync<UnreadableAnswerException>(() => TranslatedStreamRelay.RelayAsync(
            context, UpstreamEventStreams.ReadSseAsync(new MemoryStream(events.ToArray()), CancellationToken.None), call, translator, "anthropic", CancellationToken.None));

        Assert.Equal("provider anthropic sent a stream event that could not be read.", failure.Message);
    }

    private static ProviderCall Call(bool stream)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"model":"claude","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""");
        var endpoint = new ProviderEndpoint(new DeploymentConfig { ModelName = "claude", Model = "anthropic/claude", Id = "d", ApiKey = "k" },
            ProviderAdapters.CreateDefault(TimeProvider.System), _ => null);
        return new ProviderCall(ProxyEndpointKind.ChatCompletions, "claude", "d", endpoint, body, RequestBodyInspector.Inspect(body, "messages"), "claude");
    }
}
