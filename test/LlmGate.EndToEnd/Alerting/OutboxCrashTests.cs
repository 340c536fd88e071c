using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Alerting;

public sealed class OutboxCrashTests
{
    private const string RoutingKey = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task GatewayKilledWithPendingTrigger_DeliversItAfterRestart()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.FailWithStatus = 503;
        await using var unavailablePagerDuty = await FakePagerDuty.StartAsync();
        unavailablePagerDuty.ScriptResponses(Enumerable.Repeat(500, 1000).ToArray());
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        var directory = Directory.CreateTempSubdirectory("llmgate-crash-");
        try
        {
            var config = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(config, $"""
                model_list:
                  - model_name: gpt-4o
                    litellm_params: {"{"}model: openai/gpt-4o, api_base: "{upstream.ApiBase}", api_key: {upstream.ApiKey}{"}"}
                general_settings:
                  master_key: sk-1234
                  alerting: ["pagerduty"]
                  alerting_args: {"{"}failure_threshold: 1, failure_threshold_window_seconds: 600{"}"}
                """);
            var data = Path.Combine(directory.FullName, "data");
            Dictionary<string, string> Environment(FakePagerDuty target) => new()
            {
                ["PAGERDUTY_API_KEY"] = RoutingKey,
                ["PAGERDUTY_EVENTS_URL"] = target.EventsUrl.ToString(),
            };

            await using (var first = await GatewayProcess.StartAsync(config, data, Environment(unavailablePagerDuty)))
            {
                using var http = new HttpClient { BaseAddress = first.BaseAddress };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-1234");
                using var response = await http.PostAsync("/v1/chat/completions",
                    new StringContent("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

                // PagerDuty answered 500 to the trigger: it is pending in the outbox when the process dies.
                await unavailablePagerDuty.WaitForRequestsAsync(1, TimeSpan.FromSeconds(20));
                await first.KillAsync();
            }

            Assert.Empty(unavailablePagerDuty.Events);
            await using var second = await GatewayProcess.StartAsync(config, data, Environment(pagerDuty));
            await pagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(20));

            var delivered = Assert.Single(pagerDuty.Events);
            Assert.Equal("trigger", delivered.EventAction);
            Assert.Equal(RoutingKey, delivered.RoutingKey);
            Assert.StartsWith("High LLM API Failure Rate: 1 in the last 600 seconds.", delivered.Summary, StringComparison.Ordinal);
            Assert.Equal(FakeIncidentState.Open, pagerDuty.Incident(delivered.DedupKey!)!.State);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
