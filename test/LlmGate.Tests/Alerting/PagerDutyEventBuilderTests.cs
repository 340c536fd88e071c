using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting;

public sealed class PagerDutyEventBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertRule Failures = AlertRule.ForFailures(AlertingFixture.DefaultOptions());

    private static WindowSnapshot Snapshot(int groups, int nameLength = 10, int recent = 5)
    {
        var breakdown = new Dictionary<BreakdownKey, int>();
        for (var i = 0; i < groups; i++)
        {
            var name = $"group-{i}-".PadRight(nameLength, 'x');
            breakdown[new BreakdownKey(name, name + "-deployment", 500 + (i % 4))] = i + 1;
        }

        var errors = Enumerable.Range(0, recent)
            .Select(i => new AlertObservation(Now, "gpt-4o", "d1", "openai", 503, "api_error", new string('m', 200)))
            .ToList();
        return new WindowSnapshot(breakdown.Values.Sum(), breakdown, errors);
    }

    private static PagerDutyEvent Build(WindowSnapshot snapshot, int maxBodyBytes = PagerDutyLimits.MaxBodyBytes) =>
        PagerDutyEventBuilder.Trigger(Failures, AlertScopes.Gateway, scopedToModelGroup: false, snapshot, "host-1", "critical", Now, TimeSpan.FromSeconds(30), maxBodyBytes);

    [Fact]
    public void Trigger_TypicalSnapshot_PassesPagerDutyValidation()
    {
        var trigger = Build(Snapshot(3));

        var body = PagerDutyEventBody.WithRoutingKey(trigger.BodyWithoutRoutingKey, AlertingFixture.RoutingKey);
        Assert.Empty(FakePagerDuty.Validate(body));

        using var json = JsonDocument.Parse(body);
        var payload = json.RootElement.GetProperty("payload");
        Assert.Equal("trigger", json.RootElement.GetProperty("event_action").GetString());
        Assert.Equal("llmgate", payload.GetProperty("component").GetString());
        Assert.Equal("llm_api_failure", payload.GetProperty("class").GetString());
        Assert.Equal("critical", payload.GetProperty("severity").GetString());
        Assert.Equal(Now, payload.GetProperty("timestamp").GetDateTimeOffset());
        Assert.False(payload.TryGetProperty("group", out _));
        var details = payload.GetProperty("custom_details");
        Assert.Equal(6, details.GetProperty("count").GetInt32());
        Assert.Equal(5, details.GetProperty("threshold").GetInt32());
        Assert.Equal(60, details.GetProperty("window_seconds").GetInt32());
        Assert.Equal(3, details.GetProperty("by_model_group").EnumerateObject().Count());
        Assert.Equal(5, details.GetProperty("recent_errors").GetArrayLength());
        Assert.Equal(
            "High LLM API Failure Rate: 6 in the last 60 seconds. Model groups: group-2-xx (3), group-1-xx (2), group-0-xx (1).",
            payload.GetProperty("summary").GetString());
    }

    [Theory]
    [InlineData(10.0, "10")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.0000001, "0.0000001")]
    [InlineData(600.0, "600")]
    public void FormatSeconds_Durations_WrittenAsPeopleWriteThem(double seconds, string expected) =>
        Assert.Equal(expected, PagerDutyEventBuilder.FormatSeconds(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Summary_ManyLongModelGroups_CutTo1024WithEllipsis()
    {
        var summary = PagerDutyEventBuilder.Summary(Failures, Snapshot(50, nameLength: 400), group: null);

        Assert.Equal(PagerDutyLimits.MaxSummaryLength, summary.Length);
        Assert.EndsWith("…", summary, StringComparison.Ordinal);
        Assert.StartsWith("High LLM API Failure Rate: 1275 in the last 60 seconds.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Trigger_HugeBreakdown_BodyUnder512KbAndValid()
    {
        var trigger = Build(Snapshot(5_000, nameLength: 1000));

        var body = PagerDutyEventBody.WithRoutingKey(trigger.BodyWithoutRoutingKey, AlertingFixture.RoutingKey);
        Assert.True(body.Length <= PagerDutyLimits.MaxBodyBytes, $"{body.Length} bytes");
        Assert.Empty(FakePagerDuty.Validate(body));
        using var json = JsonDocument.Parse(body);
        var byGroup = json.RootElement.GetProperty("payload").GetProperty("custom_details").GetProperty("by_model_group");
        Assert.True(byGroup.TryGetProperty("(others)", out _));
    }

    [Fact]
    public void Trigger_BodyOverLimit_TrimsFieldByFieldBeforeDroppingBreakdowns()
    {
        var snapshot = Snapshot(20, nameLength: 50);
        var full = Build(snapshot).BodyWithoutRoutingKey.Length;

        // Room for everything but full-length messages: they are shortened first, nothing else goes.
        var shortened = Details(Build(snapshot, full + PagerDutyLimits.RoutingKeyAllowance - 1));
        Assert.Equal(5, shortened.GetProperty("recent_errors").GetArrayLength());
        Assert.All(shortened.GetProperty("recent_errors").EnumerateArray(), e => Assert.True(e.GetProperty("message").GetString()!.Length <= 50));
        Assert.True(shortened.TryGetProperty("by_deployment", out _));

        // Very little room: breakdowns go, with a note, and the count stays.
        var minimal = Details(Build(snapshot, PagerDutyLimits.RoutingKeyAllowance + 1200));
        Assert.False(minimal.TryGetProperty("by_model_group", out _));
        Assert.Contains("512 KB", minimal.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(snapshot.Count, minimal.GetProperty("count").GetInt32());
    }

    [Fact]
    public void DedupKey_SameScope_IsSha256OfStableTextOnEveryInstance()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("llmgate|llm_api_failure|gateway")));

        Assert.Equal(expected, DedupKeys.For(Failures, AlertScopes.Gateway));
        Assert.Equal(expected, DedupKeys.For(AlertRule.ForFailures(AlertingFixture.DefaultOptions() with { FailureThreshold = 99 }), "gateway"));
        Assert.Equal(expected, Build(Snapshot(1)).DedupKey);
        Assert.NotEqual(expected, DedupKeys.For(AlertRule.ForHangs(AlertingFixture.DefaultOptions()), AlertScopes.Gateway));
        Assert.Equal(64, expected.Length);
    }

    [Fact]
    public void Resolve_Body_HasActionAndDedupKeyAndPassesValidation()
    {
        var resolve = PagerDutyEventBuilder.Resolve("abc");

        var body = PagerDutyEventBody.WithRoutingKey(resolve.BodyWithoutRoutingKey, AlertingFixture.RoutingKey);
        Assert.Empty(FakePagerDuty.Validate(body));
        Assert.Equal(
            $$"""{"routing_key":"{{AlertingFixture.RoutingKey}}","event_action":"resolve","dedup_key":"abc"}""",
            Encoding.UTF8.GetString(body));
    }

    private static JsonElement Details(PagerDutyEvent trigger) =>
        JsonDocument.Parse(trigger.BodyWithoutRoutingKey).RootElement.GetProperty("payload").GetProperty("custom_details");
}
