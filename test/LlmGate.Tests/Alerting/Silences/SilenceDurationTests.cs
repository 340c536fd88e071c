using LlmGate.Alerting.Silences;

namespace LlmGate.Tests.Alerting.Silences;

public sealed class SilenceDurationTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 30 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d", 86400)]
    [InlineData("1w2d", 9 * 86400)]
    [InlineData("1h0m30s", 3630)]
    public void Parse_Units_Duration(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), SilenceDuration.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("0s")]
    [InlineData("2x")]
    [InlineData("30m1h")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    public void Parse_NotADuration_Throws(string text)
    {
        Assert.Throws<FormatException>(() => SilenceDuration.Parse(text));
    }
}
