using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Health;

/// <summary>
/// <c>background_health_checks</c> through the real gateway: <c>/health</c> answers from the start-up round without
/// calling anyone, <c>health_check_details: false</c> hides details even from the master key, and the failing
/// deployment's check cools it down, so clients' calls go to the healthy one.
/// </summary>
public sealed class BackgroundHealthEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-1234";
    private const string FailingKey = "sk-failing-9876543210fedcba";
    private FakeUpstream _healthy = null!;
    private FakeUpstream _failing = null!;
    private TestGateway _gateway = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _healthy = await FakeUpstream.StartAsync();
        _failing = await FakeUpstream.StartAsync(FailingKey);
        _failing.FailWithStatus = 500;
        _gateway = await TestGateway.StartAsync($"""
            model_list:
              - {Deployment(_healthy, "healthy")}
              - {Deployment(_failing, "failing")}
            router_settings:
              num_retries: 0
              cooldown_time: 600
            general_settings:
              master_key: {MasterKey}
              background_health_checks: true
              health_check_interval: 3600
              health_check_details: false
            """);
        _admin = new HttpClient { BaseAddress = _gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _gateway.DisposeAsync();
        await _failing.DisposeAsync();
        await _healthy.DisposeAsync();
    }

    [Fact]
    public async Task BackgroundChecks_HealthAnswersFromTheRoundHidesDetailsAndTheFailingDeploymentIsCooledDown()
    {
        var text = await WaitForBothResultsAsync();

        var body = JsonNode.Parse(text)!;
        Assert.Equal((1, 1), (body["healthy_count"]!.GetValue<int>(), body["unhealthy_count"]!.GetValue<int>()));
        Assert.Equal("failing", body["unhealthy_endpoints"]![0]!["model_id"]!.GetValue<string>());
        Assert.All(body["healthy_endpoints"]!.AsArray().Concat(body["unhealthy_endpoints"]!.AsArray()),
            e => Assert.Equal(["model", "model_id", "model_name"], e!.AsObject().Select(p => p.Key).Order()));
        Assert.DoesNotContain("sk-failing", text, StringComparison.Ordinal);

        // Answered from the round: asking again calls nobody.
        await _admin.GetStringAsync("/health");
        Assert.Equal((1, 1), (_healthy.Received.Count, _failing.Received.Count));

        // The failed check cooled the failing deployment down: every client call goes to the healthy one.
        for (var i = 0; i < 4; i++)
        {
            using var response = await _admin.PostAsync("/v1/chat/completions", new StringContent(
                """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("healthy", response.Headers.GetValues("x-litellm-model-id").Single());
        }

        Assert.Single(_failing.Received);
    }

    private static string Deployment(FakeUpstream upstream, string id) =>
        "{model_name: gpt-4o, litellm_params: {model: openai/gpt-4o, api_base: \"" + upstream.ApiBase + "\", api_key: " + upstream.ApiKey + "}, model_info: {id: " + id + "}}";

    // The start-up round runs beside the first requests; /health shows it once it has ended.
    private async Task<string> WaitForBothResultsAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var text = await _admin.GetStringAsync("/health");
            var body = JsonNode.Parse(text)!;
            if (body["healthy_count"]!.GetValue<int>() + body["unhealthy_count"]!.GetValue<int>() == 2 || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(50);
        }
    }
}
