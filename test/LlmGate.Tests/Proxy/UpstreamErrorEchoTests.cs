using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Proxy;

/// <summary>
/// An upstream error that echoes the request (a FastAPI/pydantic 422 with <c>"input"</c>): the client reads it as the
/// provider wrote it, while what alerts and logs are told (<see cref="CallFailure"/>) has the prompt replaced.
/// </summary>
public sealed class UpstreamErrorEchoTests
{
    private const string Prompt = "patient John Doe, born 1970-01-01, asks about his results";

    [Fact]
    public async Task ErrorEchoingThePrompt_ClientReadsItAlertsAndLogsDoNot()
    {
        await using var upstream = RawUpstream.Start();
        upstream.Answer = exchange =>
        {
            var detail = JsonSerializer.Serialize(new { detail = new[] { new { type = "string_too_long", loc = new object[] { "body", "messages", 0, "content" }, msg = "String should have at most 10 characters", input = Prompt } } });
            return RawUpstream.WriteAsync(exchange.Stream, $"HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/json\r\nContent-Length: {detail.Length}\r\n\r\n{detail}");
        };
        var failures = new FailureRecorder();
        await using var gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: m
                litellm_params: {model: openai/m, api_base: "http://127.0.0.1:{{upstream.Port}}/v1", api_key: sk-upstream-echo-1}
            router_settings: {num_retries: 0}
            """, configureServices: services => services.AddSingleton<ICallObserver>(failures));
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        var request = JsonSerializer.Serialize(new { model = "m", messages = new[] { new { role = "user", content = Prompt } } });
        using var response = await client.PostAsync("v1/chat/completions", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
        var clientMessage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString()!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(Prompt, clientMessage, StringComparison.Ordinal);
        var observed = Assert.Single(failures.Messages);
        Assert.DoesNotContain("John Doe", observed, StringComparison.Ordinal);
        Assert.Contains("\"input\":\"[prompt]\"", observed, StringComparison.Ordinal);
        Assert.Contains("String should have at most 10 characters", observed, StringComparison.Ordinal); // the rest stays for on-call
    }

    private sealed class FailureRecorder : ICallObserver
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public void OnCallStarted(CallContext call)
        {
        }

        public void OnAttemptStarted(CallContext call, CallAttempt attempt)
        {
        }

        public void OnProgress(CallContext call, long previousProgress, long now)
        {
        }

        public void OnAttemptEnded(CallContext call, CallAttempt attempt)
        {
        }

        public void OnCallEnded(CallContext call)
        {
            if (call.Failure is { } failure)
            {
                Messages.Enqueue(failure.Message);
            }
        }
    }
}
