using System.Text;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Testing;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Tests.Providers;

public sealed class HeldAnswerRelayTests
{
    [Theory]
    [InlineData(600, 1)]
    [InlineData(600, 37)]
    [InlineData(300_000, 1_000)]
    [InlineData(300_000, 65_536)]
    public async Task RelayBytesAsync_PlainAnswerWithoutContentLength_RelaysEveryByteAndItsUsage(int size, int pieceSize)
    {
        var answer = Answer(size);
        var context = Context(out var output);
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent([]) };

        var usage = await OpenAiCompatibleAdapter.RelayBytesAsync(context, response, new PiecewiseStream(answer, pieceSize), PlainCall(), CancellationToken.None);

        Assert.Equal(answer, output.ToArray());
        Assert.Equal(answer.Length, context.Response.ContentLength);
        Assert.Equal(7, usage?.CompletionTokens);
    }

    [Theory]
    [InlineData(600, 1)]
    [InlineData(600, 600)]
    [InlineData(1_023, 1_023)]
    [InlineData(1_024, 100)]
    [InlineData(300_000, 4_096)]
    public async Task RelayBytesAsync_PlainAnswerWithContentLength_RelaysEveryByteAndItsLength(int size, int pieceSize)
    {
        var answer = Answer(size);
        var context = Context(out var output);
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.ContentLength = answer.Length;

        var usage = await OpenAiCompatibleAdapter.RelayBytesAsync(context, response, new PiecewiseStream(answer, pieceSize), PlainCall(), CancellationToken.None);

        Assert.Equal(answer, output.ToArray());
        Assert.Equal(answer.Length, context.Response.ContentLength);
        Assert.Equal(7, usage?.CompletionTokens);
    }

    [Fact]
    public async Task RelayBytesAsync_BodyLongerThanItsContentLength_HeldWhole()
    {
        // The length is only a size hint for the held buffer: the relay keeps reading until the body ends.
        var answer = Answer(5_000);
        var context = Context(out var output);
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.ContentLength = 100;

        await OpenAiCompatibleAdapter.RelayBytesAsync(context, response, new PiecewiseStream(answer, 333), PlainCall(), CancellationToken.None);

        Assert.Equal(answer, output.ToArray());
        Assert.Equal(answer.Length, context.Response.ContentLength);
    }

    // A chat.completion padded to `size` bytes with its usage at the end, as OpenAI writes it.
    private static byte[] Answer(int size)
    {
        const string Head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
        const string Tail = "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}";
        var padding = size - Head.Length - Tail.Length;
        Assert.True(padding >= 0);
        return Encoding.UTF8.GetBytes(Head + new string('x', padding) + Tail);
    }

    private static DefaultHttpContext Context(out MemoryStream output)
    {
        var context = new DefaultHttpContext();
        output = new MemoryStream();
        context.Response.Body = output;
        return context;
    }

    private static ProviderCall PlainCall()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");
        var endpoint = new ProviderEndpoint(new DeploymentConfig { ModelName = "m", Model = "openai/m", Id = "d", ApiKey = "k" },
            ProviderAdapters.CreateDefault(TimeProvider.System), _ => null);
        return new ProviderCall(ProxyEndpointKind.ChatCompletions, "m", "d", endpoint, body, RequestBodyInspector.Inspect(body, "messages"), "m");
    }
}
