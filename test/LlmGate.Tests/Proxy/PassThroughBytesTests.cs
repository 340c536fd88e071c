using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlmGate.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Proxy;

/// <summary>
/// The pass-through relay copies bytes without looking at most of them (issue 18's hot path): these pin that every
/// byte arrives, in order, whatever the shape of the upstream's reads and writes and however the client reads.
/// </summary>
public sealed class PassThroughBytesTests : IAsyncLifetime
{
    private const string StreamRequest = """{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""";
    private const string ChatRequest = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";

    private WebApplication _upstream = null!;
    private TestGateway _gateway = null!;
    private HttpClient _client = null!;
    private Func<HttpContext, Task> _answer = _ => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _upstream = builder.Build();
        _upstream.Run(context => _answer(context));
        await _upstream.StartAsync();
        var address = _upstream.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _gateway = await TestGateway.StartAsync($"""
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/m
                  api_base: {address}/v1
                  api_key: sk-upstream
            """);
        _client = new HttpClient { BaseAddress = _gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Stream_UpstreamWritesOneByteAtATime_ClientGetsEveryByteInOrder()
    {
        var events = Events(8);
        _answer = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var b in events)
            {
                await context.Response.Body.WriteAsync(new[] { b });
                await context.Response.Body.FlushAsync();
            }
        };

        Assert.Equal(Encoding.UTF8.GetString(events), await PostAsync(StreamRequest, readSize: 4096));
    }

    [Fact]
    public async Task Stream_ManyEventsReadByASlowClient_ClientGetsEveryByteInOrder()
    {
        // About 1 MB: far more than the relay's buffer and the sockets' buffers hold, so the relay waits on the client.
        var events = Events(4000);
        _answer = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            for (var offset = 0; offset < events.Length; offset += 7001)
            {
                await context.Response.Body.WriteAsync(events.AsMemory(offset, Math.Min(7001, events.Length - offset)));
                await context.Response.Body.FlushAsync();
            }
        };

        Assert.Equal(Encoding.UTF8.GetString(events), await PostAsync(StreamRequest, readSize: 61));
    }

    [Fact]
    public async Task Answer_LargerThanTheRelayBuffer_ArrivesWhole()
    {
        var answer = Encoding.UTF8.GetBytes(
            """{"id":"chatcmpl-1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":""" + "\"" + new string('x', 3_000_000) + "\""
            + """},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}""");
        _answer = async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = answer.Length;
            for (var offset = 0; offset < answer.Length; offset += 65_537)
            {
                await context.Response.Body.WriteAsync(answer.AsMemory(offset, Math.Min(65_537, answer.Length - offset)));
            }
        };

        using var response = await _client.PostAsync("v1/chat/completions", new StringContent(ChatRequest, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(answer, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(answer.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Answer_ManyHeaders_EveryEndToEndHeaderRelayedHopByHopOnesNot()
    {
        _answer = async context =>
        {
            for (var i = 0; i < 120; i++)
            {
                context.Response.Headers[$"x-upstream-{i}"] = $"value {i}; q=0.{i}";
            }

            context.Response.Headers["x-two-values"] = new[] { "first", "second" };
            context.Response.Headers["openai-processing-ms"] = "42";
            context.Response.Headers["Alt-Svc"] = "h3=\":443\"";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"chatcmpl-1","object":"chat.completion","choices":[]}""");
        };

        using var response = await _client.PostAsync("v1/chat/completions", new StringContent(ChatRequest, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        for (var i = 0; i < 120; i++)
        {
            Assert.Equal($"value {i}; q=0.{i}", Assert.Single(response.Headers.GetValues($"x-upstream-{i}")));
        }

        Assert.Equal(["first", "second"], response.Headers.GetValues("x-two-values").SelectMany(v => v.Split(", ")));
        Assert.Equal("42", Assert.Single(response.Headers.GetValues("openai-processing-ms")));
        Assert.False(response.Headers.Contains("Alt-Svc"));
        Assert.Equal(new MediaTypeHeaderValue("application/json"), response.Content.Headers.ContentType);
    }

    private async Task<string> PostAsync(string body, int readSize)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    // OpenAI-shaped chunks, the last with usage (the client asked for it, so the gateway relays it), then [DONE].
    private static byte[] Events(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"piece ")
                .Append(i).Append(" ünïcödé\"},\"finish_reason\":null}]}\n\n");
        }

        text.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}}\n\n");
        text.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
