using System.Net;
using System.Text;
using LlmGate.Testing;

namespace LlmGate.Tests.Messages;

/// <summary>Issue 20: a call on <c>/v1/messages</c> is watched like any other: failures and hangs page.</summary>
public sealed class MessagesAlertingTests
{
    private const string MasterKey = "sk-messages-alerts-77e1";
    private const string UpstreamKey = "sk-ant-upstream-key-0042";
    private const string RoutingKey = "MESSAGESR0UT1NGKEY0123456789abcd";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FailuresOnMessages_PagedAsFailureRate()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var anthropic = await FakeAnthropic.StartAsync(UpstreamKey);
        anthropic.FailWithStatus = 500;
        await using var gateway = await StartAsync(anthropic, pagerDuty, hangingSeconds: 30);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostAsync(gateway)));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.InternalServerError, status));
        await pagerDuty.WaitForEventsAsync(e => e.EventAction == "trigger", 1, Patience);
        Assert.Contains("\"class\":\"llm_api_failure\"", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangOnMessages_PagedAsHanging()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var anthropic = await FakeAnthropic.StartAsync(UpstreamKey);
        anthropic.ResponseDelay = TimeSpan.FromSeconds(1.5);
        await using var gateway = await StartAsync(anthropic, pagerDuty, hangingSeconds: 0.3);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(gateway));

        await pagerDuty.WaitForEventsAsync(e => e.EventAction == "trigger", 1, Patience);
        Assert.Contains("\"class\":\"llm_request_hanging\"", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Hello", pagerDuty.Events[0].RawBody, StringComparison.Ordinal); // no prompt, no answer
    }

    private static Task<TestGateway> StartAsync(FakeAnthropic anthropic, FakePagerDuty pagerDuty, double hangingSeconds) =>
        TestGateway.StartAsync(
            $$"""
            model_list:
              - model_name: claude
                litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "{{anthropic.ApiBase}}", api_key: {{UpstreamKey}}}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {{MasterKey}}
              alerting: ["pagerduty"]
              alerting_args: {failure_threshold: 3, failure_threshold_window_seconds: 5, hanging_threshold_seconds: {{hangingSeconds}}, hanging_threshold_window_seconds: 5, hanging_threshold_fails: 1}
            """,
            new Dictionary<string, string> { ["PAGERDUTY_API_KEY"] = RoutingKey, ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString() });

    private static async Task<HttpStatusCode> PostAsync(TestGateway gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = Patience };
        http.DefaultRequestHeaders.Add("x-api-key", MasterKey);
        using var response = await http.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(
            """{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"Hello"}]}""", Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }
}
