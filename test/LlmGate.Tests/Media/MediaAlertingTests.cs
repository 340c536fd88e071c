using System.Net;
using System.Text;
using LlmGate.Testing;

namespace LlmGate.Tests.Media;

/// <summary>Issue 20: image and transcription calls are watched like any other: an upstream failing them pages, and so does one that hangs.</summary>
public sealed class MediaAlertingTests
{
    private const string MasterKey = "sk-media-alerts-31c9";
    private const string RoutingKey = "MEDIAR0UT1NGKEY0123456789abcdef0";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FailuresOnImages_PagedAsFailureRate()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.FailWithStatus = 500;
        await using var gateway = await TestGateway.StartAsync(
            $$"""
            model_list:
              - model_name: dalle
                litellm_params: {model: openai/dall-e-3, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {{MasterKey}}
              alerting: ["pagerduty"]
              alerting_args: {failure_threshold: 3, failure_threshold_window_seconds: 5}
            """,
            new Dictionary<string, string> { ["PAGERDUTY_API_KEY"] = RoutingKey, ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString() });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = Patience };
        http.DefaultRequestHeaders.Add("Authorization", "Bearer " + MasterKey);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var response = await http.PostAsync(new Uri("/v1/images/generations", UriKind.Relative),
                new StringContent("""{"model":"dalle","prompt":"a cat"}""", Encoding.UTF8, "application/json"));
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.InternalServerError, status));
        await pagerDuty.WaitForEventsAsync(e => e.EventAction == "trigger", 1, Patience);
        Assert.Contains("\"class\":\"llm_api_failure\"", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
        Assert.Contains("dalle", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("a cat", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailuresOnTranscriptions_PagedAsFailureRate_NoFileNameOrPromptInThePage()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.FailWithStatus = 500;
        await using var gateway = await StartWhisperAsync(upstream, pagerDuty, hangingSeconds: 30);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TranscribeAsync(gateway)));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.InternalServerError, status));
        Assert.Equal(3, upstream.Received.Count);
        await pagerDuty.WaitForEventsAsync(e => e.EventAction == "trigger", 1, Patience);
        Assert.Contains("\"class\":\"llm_api_failure\"", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
        Assert.Contains("whisper", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("board-meeting", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Quarterly", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangOnTranscription_PagedAsHanging()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.ResponseDelay = TimeSpan.FromSeconds(1.5);
        await using var gateway = await StartWhisperAsync(upstream, pagerDuty, hangingSeconds: 0.3);

        Assert.Equal(HttpStatusCode.OK, await TranscribeAsync(gateway));

        await pagerDuty.WaitForEventsAsync(e => e.EventAction == "trigger", 1, Patience);
        Assert.Contains("\"class\":\"llm_request_hanging\"", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
        Assert.Contains("whisper", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Quarterly", pagerDuty.Events[0].RawBody, StringComparison.Ordinal);
    }

    private static Task<TestGateway> StartWhisperAsync(FakeUpstream upstream, FakePagerDuty pagerDuty, double hangingSeconds) =>
        TestGateway.StartAsync(
            $$"""
            model_list:
              - model_name: whisper
                litellm_params: {model: openai/whisper-1, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {{MasterKey}}
              alerting: ["pagerduty"]
              alerting_args: {failure_threshold: 3, failure_threshold_window_seconds: 5, hanging_threshold_seconds: {{hangingSeconds}}, hanging_threshold_window_seconds: 5, hanging_threshold_fails: 1}
            """,
            new Dictionary<string, string> { ["PAGERDUTY_API_KEY"] = RoutingKey, ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString() });

    private static async Task<HttpStatusCode> TranscribeAsync(TestGateway gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = Patience };
        http.DefaultRequestHeaders.Add("Authorization", "Bearer " + MasterKey);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("whisper"), "model" },
            { new StringContent("Quarterly numbers"), "prompt" },
            { new ByteArrayContent(new byte[50_000]), "file", "board-meeting.wav" },
        };
        using var response = await http.PostAsync(new Uri("/v1/audio/transcriptions", UriKind.Relative), form);
        return response.StatusCode;
    }
}
