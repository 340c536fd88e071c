using LlmGate.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Alerting;

public sealed class SlackCrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GatewayKilledWithSlackMessagePending_DeliversItAfterRestart_NoUrlInOutput()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.ResponseDelay = TimeSpan.FromSeconds(1);
        await using var slack = await FakeSlack.StartAsync();
        slack.SetDown(true);
        var directory = Directory.CreateTempSubdirectory("llmgate-slack-crash-");
        try
        {
            var config = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(config, $$"""
                model_list:
                  - model_name: gpt-4o
                    litellm_params: {model: openai/gpt-4o, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
                general_settings:
                  master_key: sk-1234
                  alerting: ["slack"]
                  alerting_args: {hanging_threshold_seconds: 0.2, hanging_threshold_window_seconds: 600, hanging_threshold_fails: 1}
                """);
            var data = Path.Combine(directory.FullName, "data");
            var environment = new Dictionary<string, string> { ["SLACK_WEBHOOK_URL"] = slack.WebhookUrl.AbsoluteUri };
            var output = new List<string>();

            await using (var first = await GatewayProcess.StartAsync(config, data, environment))
            {
                ChatCompletion answer = await GatewayClients.Chat(first.BaseAddress, "gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]);
                Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);

                // Slack answered 503 to the hang's message: it is pending in the outbox when the process dies.
                await slack.Server.WaitForAnswersAsync(1, Patience);
                await first.KillAsync();
                output.AddRange(first.StandardOutput.Lines);
                output.AddRange(first.StandardError.Lines);
            }

            Assert.Empty(slack.Accepted);
            slack.SetDown(false);
            await using (var second = await GatewayProcess.StartAsync(config, data, environment))
            {
                await slack.WaitForAcceptedAsync(1, Patience);
                output.AddRange(second.StandardOutput.Lines);
                output.AddRange(second.StandardError.Lines);
            }

            var delivered = Assert.Single(slack.Accepted);
            Assert.Equal("llm_requests_hanging", FakeChatAlert.TypeOf(delivered));
            Assert.False(FakeChatAlert.IsResolved(delivered));
            Assert.Contains(output, line => line.Contains("slack", StringComparison.Ordinal)); // the sender did log
            var token = slack.WebhookUrl.AbsolutePath.Split('/')[^1];
            Assert.DoesNotContain(output, line => line.Contains(token, StringComparison.Ordinal) || line.Contains(slack.WebhookUrl.AbsolutePath, StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
