using LlmGate.Alerting;
using LlmGate.Alerting.Silences;

namespace LlmGate.Tests.Alerting.Silences;

public sealed class SilenceMatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<string, string> Failure = AlertLabels.Of("llm_api_failure", "llm_api_failure", "gpt-4o", modelGroup: "gpt-4o");

    [Theory]
    [InlineData("model_group", "gpt-4o", false, true, true)]
    [InlineData("model_group", "gpt-4", false, true, false)]
    [InlineData("model_group", "gpt-4o", false, false, false)]
    [InlineData("model_group", "claude", false, false, true)]
    [InlineData("model_group", "gpt-4", true, true, false)] // anchored: a prefix is not a match
    [InlineData("model_group", "gpt-4.*", true, true, true)]
    [InlineData("model_group", "gpt-4o|claude", true, true, true)] // the alternation is grouped inside the anchors
    [InlineData("model_group", "claude.*", true, false, true)]
    [InlineData("model_group", "GPT-4O", false, true, false)]
    public void Matches_Labels_AlertmanagerSemantics(string name, string value, bool isRegex, bool isEqual, bool expected)
    {
        var matcher = SilenceMatcher.Create(name, value, isRegex, isEqual);

        Assert.Equal(expected, matcher.Matches(Failure));
    }

    [Theory]
    [InlineData("", false, true, true)]
    [InlineData("", false, false, false)]
    [InlineData("eu-.*", true, false, true)]
    [InlineData(".*", true, true, true)]
    public void Matches_LabelMissing_MatchesAsEmptyString(string value, bool isRegex, bool isEqual, bool expected)
    {
        var matcher = SilenceMatcher.Create("region", value, isRegex, isEqual);

        Assert.Equal(expected, matcher.Matches(Failure));
    }

    [Fact]
    public void Create_UnknownLabel_ThrowsNamingTheKnownOnes()
    {
        var exception = Assert.Throws<FormatException>(() => SilenceMatcher.Create("team", "x", isRegex: false, isEqual: true));

        Assert.Contains("'team'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("model_group", exception.Message, StringComparison.Ordinal);
        Assert.Contains("channel", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidRegex_Throws()
    {
        var exception = Assert.Throws<FormatException>(() => SilenceMatcher.Create("class", "(llm", isRegex: true, isEqual: true));

        Assert.Contains("invalid regex", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Silences_EveryMatcherMustMatch()
    {
        var silence = Active(SilenceMatcher.Create("class", "llm_api_failure", false, true), SilenceMatcher.Create("model_group", "claude", false, true));

        Assert.False(silence.Silences(Failure, "pagerduty", Now));
        Assert.True((silence with { Matchers = [silence.Matchers[0]] }).Silences(Failure, "pagerduty", Now));
    }

    [Fact]
    public void Silences_ChannelLabel_IsTheChannelKind()
    {
        var silence = Active(SilenceMatcher.Create("channel", "slack", false, true));

        Assert.True(silence.Silences(Failure, "slack", Now));
        Assert.False(silence.Silences(Failure, "pagerduty", Now));
    }

    [Fact]
    public void StateAt_BeforeDuringAfter_PendingActiveExpired()
    {
        var silence = Active(SilenceMatcher.Create("class", "llm_api_failure", false, true));

        Assert.Equal(SilenceState.Pending, silence.StateAt(silence.StartsAt.AddTicks(-1)));
        Assert.Equal(SilenceState.Active, silence.StateAt(silence.StartsAt));
        Assert.Equal(SilenceState.Expired, silence.StateAt(silence.EndsAt));
        Assert.False(silence.Silences(Failure, "pagerduty", silence.EndsAt));
        Assert.False(silence.PastRetention(silence.EndsAt + Silence.Retention));
        Assert.True(silence.PastRetention(silence.EndsAt + Silence.Retention + TimeSpan.FromSeconds(1)));
    }

    private static Silence Active(params SilenceMatcher[] matchers) =>
        new("s1", matchers, Now.AddMinutes(-1), Now.AddHours(1), "ops", "maintenance", Now.AddMinutes(-1));
}
