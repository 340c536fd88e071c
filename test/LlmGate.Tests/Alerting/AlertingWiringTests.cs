using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting;

public sealed class AlertingWiringTests
{
    private static GatewayConfig Config(AlertingOptions? alerting) => new()
    {
        Deployments = [new DeploymentConfig { ModelName = "gpt-4o", Model = "openai/gpt-4o", Id = "d1", ApiKey = AlertingFixture.DeploymentApiKey }],
        MasterKey = AlertingFixture.MasterKey,
        Alerting = alerting,
    };

    [Fact]
    public void AddLlmGateAlerting_AlertingOff_NoObserverAndNoBackgroundWork()
    {
        using var directory = new TempDirectory();
        var services = new ServiceCollection().AddLogging().AddLlmGateAlerting(Config(null), directory.Path);
        using var provider = services.BuildServiceProvider();

        Assert.Empty(provider.GetServices<ICallObserver>());
        Assert.Empty(provider.GetServices<IHostedService>());
        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public async Task AddLlmGateAlerting_FailuresThroughObserver_PagedThroughTimerAndSender()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var options = AlertingFixture.DefaultOptions(pagerDuty.EventsUrl);
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(time).AddLlmGateAlerting(Config(options), directory.Path);
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        Assert.Equal(3, hosted.Count); // the detector, PagerDuty's sender, the silences' release loop
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var calls = new CallTracker(provider.GetServices<ICallObserver>(), time);
        for (var i = 0; i < options.FailureThreshold; i++)
        {
            calls.StartRouted("gpt-4o", "d1", "openai", stream: false).Failed(AlertingFixture.ServerError(503));
        }

        time.Advance(AlertDetector.EvaluationInterval); // the detector's timer, not the failures, sends the page
        await pagerDuty.WaitForEventsAsync(1, SenderHarness.Patience);

        var page = Assert.Single(pagerDuty.Events);
        Assert.Equal("trigger", page.EventAction);
        Assert.StartsWith("High LLM API Failure Rate: 5 in the last 60 seconds.", page.Summary, StringComparison.Ordinal);
        var status = provider.GetRequiredService<AlertingStatusReporter>().Snapshot();
        Assert.Equal(page.DedupKey, Assert.Single(status.OpenIncidents!).DedupKey);
        Assert.Equal(0, status.InFlight);
        Assert.Equal("pagerduty", Assert.Single(status.Channels!).Name);

        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Endpoints_AlertingOn_StatusAndFireDrillAnswer()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        using var directory = new TempDirectory();
        await using var app = await StartGatewayAsync(AlertingFixture.DefaultOptions(pagerDuty.EventsUrl), directory.Path);
        using var client = new HttpClient { BaseAddress = BaseAddress(app) };

        using var drill = await client.PostAsync(new Uri("/alerting/test", UriKind.Relative), null);
        var drillBody = await drill.Content.ReadAsStringAsync();
        using var status = await client.GetAsync(new Uri("/alerting/status", UriKind.Relative));
        var statusBody = await status.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, drill.StatusCode);
        using var drillJson = JsonDocument.Parse(drillBody);
        var pagerDutyDrill = Assert.Single(drillJson.RootElement.GetProperty("channels").EnumerateArray());
        Assert.Equal("pagerduty", pagerDutyDrill.GetProperty("channel").GetString());
        Assert.Equal(202, pagerDutyDrill.GetProperty("trigger").GetProperty("status_code").GetInt32());
        Assert.Equal(202, pagerDutyDrill.GetProperty("resolve").GetProperty("status_code").GetInt32());
        Assert.True(drillJson.RootElement.GetProperty("success").GetBoolean());
        var dedupKey = drillJson.RootElement.GetProperty("dedup_key").GetString()!;
        Assert.Equal(FakeIncidentState.Resolved, pagerDuty.Incident(dedupKey)!.State);

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using var statusJson = JsonDocument.Parse(statusBody);
        Assert.True(statusJson.RootElement.GetProperty("enabled").GetBoolean());
        Assert.Equal(2, statusJson.RootElement.GetProperty("windows").GetArrayLength()); // failures and hangs for "gateway"
        Assert.Equal(0, statusJson.RootElement.GetProperty("outbox_depth").GetInt32());
        Assert.DoesNotContain(AlertingFixture.RoutingKey, statusBody + drillBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_AlertingOff_StatusDisabledAndFireDrill400()
    {
        using var directory = new TempDirectory();
        await using var app = await StartGatewayAsync(null, directory.Path);
        using var client = new HttpClient { BaseAddress = BaseAddress(app) };

        var status = await client.GetStringAsync(new Uri("/alerting/status", UriKind.Relative));
        using var drill = await client.PostAsync(new Uri("/alerting/test", UriKind.Relative), null);

        Assert.Equal("""{"enabled":false}""", status);
        Assert.Equal(HttpStatusCode.BadRequest, drill.StatusCode);
        using var error = JsonDocument.Parse(await drill.Content.ReadAsStringAsync());
        var body = error.RootElement.GetProperty("error");
        Assert.Equal("400", body.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("param").ValueKind);
        Assert.Contains("not configured", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunFromCliAsync_PagerDutyAccepts_PrintsAnswersAndReturnsZero()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        using var output = new StringWriter();

        var exitCode = await AlertFireDrill.RunFromCliAsync(AlertingFixture.DefaultOptions(pagerDuty.EventsUrl), output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Contains("trigger: 202", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("resolve: 202", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AlertingFixture.RoutingKey, output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["trigger", "resolve"], pagerDuty.Events.Select(e => e.EventAction));
        var payload = pagerDuty.Events[0].Body.GetProperty("payload");
        Assert.Equal("critical", payload.GetProperty("severity").GetString()); // pages as a real failure would
        Assert.Equal("llmgate_fire_drill", payload.GetProperty("class").GetString());
        Assert.Equal("LlmGate fire drill: test alert, resolved automatically.", payload.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task RunFromCliAsync_PagerDutyFails_ReturnsOne()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        pagerDuty.ScriptResponses(500);
        using var output = new StringWriter();

        var exitCode = await AlertFireDrill.RunFromCliAsync(AlertingFixture.DefaultOptions(pagerDuty.EventsUrl), output, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("trigger: 500", output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartGatewayAsync(AlertingOptions? alerting, string dataDirectory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddLlmGateAlerting(Config(alerting), dataDirectory);
        var app = builder.Build();
        app.MapLlmGateAlerting();
        await app.StartAsync();
        return app;
    }

    private static Uri BaseAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
