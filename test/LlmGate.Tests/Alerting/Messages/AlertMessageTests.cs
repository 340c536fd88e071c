using LlmGate.Alerting;
using LlmGate.Alerting.Messages;

namespace LlmGate.Tests.Alerting.Messages;

public sealed class AlertMessageTests
{
    [Theory]
    [InlineData("High LLM API Failure Rate", "High LLM API Failure Rate: 3 in the last 5 seconds.", "High LLM API Failure Rate: 3 in the last 5 seconds.")]
    [InlineData("Resolved: LLM API call failed (m1)", "LLM API call failed (m1) is over: it lasted 5 s.", "Resolved: LLM API call failed (m1) is over: it lasted 5 s.")]
    [InlineData("LLM API exception", "gpt-4o failed 3 times.", "LLM API exception: gpt-4o failed 3 times.")]
    [InlineData("Resolved: Budget crossed", "Key k1 is back under its budget.", "Resolved: Budget crossed: Key k1 is back under its budget.")]
    public void Headline_TheTitleSaidOnce(string title, string summary, string expected)
    {
        var message = new AlertMessage
        {
            Title = title,
            Resolved = title.StartsWith("Resolved", StringComparison.Ordinal),
            Level = "High",
            Severity = AlertSeverity.Critical,
            Summary = summary,
            AlertType = "llm_exceptions",
            DedupKey = "k",
            At = DateTimeOffset.UnixEpoch,
        };

        Assert.Equal(expected, message.Headline());
    }
}
