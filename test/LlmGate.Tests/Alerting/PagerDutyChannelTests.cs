using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting;

public sealed class PagerDutyChannelTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PagerDutyOptions Options = new()
    {
        RoutingKey = AlertingFixture.RoutingKey,
        FailureSeverity = "error",
        HangingSeverity = "warning",
        Source = "gateway-eu-1",
    };

    private readonly HttpClient _http = new();
    private readonly PagerDutyChannel _channel;

    public PagerDutyChannelTests()
    {
        _channel = new PagerDutyChannel(new PagerDutyClient(_http, Options, TimeProvider.System), Options);
    }

    [Theory]
    [InlineData(false, "error", "llm_api_failure")]
    [InlineData(true, "warning", "llm_request_hanging")]
    public void Render_BreachOfEachRule_SeverityAndSourceFromPagerDutySettings(bool hangs, string severity, string className)
    {
        var rule = hangs ? AlertRule.ForHangs(AlertingFixture.DefaultOptions()) : AlertRule.ForFailures(AlertingFixture.DefaultOptions());
        var breach = new AlertBreach(rule, AlertScopes.Gateway, false, WindowSnapshot.Empty with { Count = 5 }, TimeSpan.FromSeconds(30), null);

        var body = _channel.Render(AlertNotification.Triggered(DedupKeys.For(rule, AlertScopes.Gateway), breach, Now));

        Assert.DoesNotContain("routing_key", body, StringComparison.Ordinal);
        Assert.Empty(FakePagerDuty.Validate(PagerDutyEventBody.WithRoutingKey(body, AlertingFixture.RoutingKey)));
        var payload = JsonDocument.Parse(body).RootElement.GetProperty("payload");
        Assert.Equal((severity, "gateway-eu-1", className), (payload.GetProperty("severity").GetString(), payload.GetProperty("source").GetString(), payload.GetProperty("class").GetString()));
        Assert.Equal(Now, payload.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public void Render_Resolve_TheBuildersResolve()
    {
        var body = _channel.Render(AlertNotification.Resolved("abc", AlertRule.FailureClass, Now));

        Assert.Equal(PagerDutyEventBuilder.Resolve("abc").BodyWithoutRoutingKey, body);
    }

    [Fact]
    public void Render_TriggerWithNeitherBreachNorNotice_Refused() =>
        Assert.Throws<ArgumentException>(() => _channel.Render(new AlertNotification(AlertAction.Trigger, "abc", "x", Now)));

    public void Dispose() => _http.Dispose();
}
