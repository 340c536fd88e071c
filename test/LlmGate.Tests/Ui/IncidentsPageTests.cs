using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Routing;
using LlmGate.Testing;
using LlmGate.Tests.Alerting.Silences;
using LlmGate.Ui.Components;
using LlmGate.Ui.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Ui;

public sealed class IncidentsPageTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 5, TimeSpan.Zero);

    [Fact]
    public async Task Render_OpenIncidentAndAttempts_RowsWithTimesAndAnswers()
    {
        var model = new IncidentsModel(
            true,
            [new IncidentRow("abc123", "llm_api_failure", "gateway", At, null)],
            [
                new DeliveryRow(At.AddSeconds(2), "trigger", "llm_api_failure", "slack", "abc123", false, 500, "server error, will retry"),
                new DeliveryRow(At.AddSeconds(1), "trigger", "llm_api_failure", "pagerduty", "abc123", true, 202, "accepted"),
            ]);

        var html = await PagesTestRenderer.RenderAsync<IncidentsPage>(PagesTestRenderer.Context("incidents", "Incidents"), model);

        Assert.Contains("data-incident=\"abc123\"", html, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"2026-03-01T12:00:05Z\">", html, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"2026-03-01T12:00:07Z\">", html, StringComparison.Ordinal);
        Assert.Contains("server error, will retry", html, StringComparison.Ordinal);
        Assert.Contains("accepted", html, StringComparison.Ordinal);
        Assert.Contains(">500<", html, StringComparison.Ordinal);
        Assert.Contains("data-delivered=\"false\"", html, StringComparison.Ordinal);

        // Only the delivered trigger is in the history of triggers and resolves.
        var history = html[html.IndexOf("id=\"incident-history\"", StringComparison.Ordinal)..html.IndexOf("id=\"delivery-attempts\"", StringComparison.Ordinal)];
        Assert.Contains("pagerduty", history, StringComparison.Ordinal);
        Assert.DoesNotContain("slack", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_AlertingOff_NoteInsteadOfTables()
    {
        var html = await PagesTestRenderer.RenderAsync<IncidentsPage>(PagesTestRenderer.Context("incidents", "Incidents"), IncidentsModel.Off);

        Assert.Contains("id=\"alerting-off\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_RealGatewayWithAttempts_AttemptsNewestFirstWithAlertType()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var gateway = await TestGateway.StartAsync(SilenceApiTests.Yaml(alerting: true), SilenceApiTests.Environment(pagerDuty));
        var config = gateway.Services.GetRequiredService<GatewaySnapshotSource>().Current.Config;
        var log = gateway.Services.GetRequiredService<DeliveryLog>();
        var scopes = gateway.Services.GetRequiredService<AlertScopes>();
        var failureKey = DedupKeys.For(AlertRule.ForFailures(config.Alerting!), AlertScopes.Gateway);
        log.Record(new DeliveryResult(At, "pagerduty", AlertAction.Trigger, failureKey, true, 202, "accepted"));
        log.Record(new DeliveryResult(At.AddMinutes(5), "pagerduty", AlertAction.Resolve, failureKey, true, 202, "accepted"));

        var model = IncidentsEndpoint.Build(config.Alerting, gateway.Services.GetRequiredService<AlertingStatusReporter>(), log, scopes);

        Assert.True(model.AlertingEnabled);
        Assert.Empty(model.Open);
        Assert.Equal(["resolve", "trigger"], model.Attempts.Select(a => a.Action));
        Assert.All(model.Attempts, a => Assert.Equal(AlertRule.FailureClass, a.AlertType));
    }

    [Fact]
    public void Build_AlertingOff_Off()
    {
        Assert.Same(IncidentsModel.Off, IncidentsEndpoint.Build(null, null, null, null));
    }
}
