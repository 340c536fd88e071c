using System.Net;
using System.Text;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmGate.Tests.Keys;

/// <summary>An upstream that leaves usage out costs nothing: the operator is told once per deployment, not per call.</summary>
public sealed class AnswerWithoutUsageTests
{
    private const string Request = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task AnswersWithoutUsage_OneWarningForTheDeploymentNamingIt()
    {
        await using var upstream = Upstream("");
        var logs = new FakeLogCollector();
        await using var gateway = await StartAsync(upstream, logs);
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        for (var i = 0; i < 3; i++)
        {
            // One connection, so each call has ended, its warning included, before the next is answered.
            using var response = await client.PostAsync("v1/chat/completions", new StringContent(Request, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var warning = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 7009);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Deployment dep-no-usage of model group m answered without usage", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswersWithUsage_NoWarning()
    {
        await using var upstream = Upstream(""","usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}""");
        var logs = new FakeLogCollector();
        await using var gateway = await StartAsync(upstream, logs);
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await client.PostAsync("v1/chat/completions", new StringContent(Request, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 7009);
    }

    private static RawUpstream Upstream(string usage)
    {
        var upstream = RawUpstream.Start();
        upstream.Answer = exchange => RawUpstream.WriteAsync(exchange.Stream, RawUpstream.JsonAnswer(
            $$"""{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]{{usage}}}"""));
        return upstream;
    }

    private static Task<TestGateway> StartAsync(RawUpstream upstream, FakeLogCollector logs) => TestGateway.StartAsync($$"""
        model_list:
          - model_name: m
            litellm_params: {model: openai/m, api_base: "http://127.0.0.1:{{upstream.Port}}/v1", api_key: sk-upstream-usage-1}
            model_info: {id: dep-no-usage}
        """, configureServices: s => s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
}
