using LlmGate.Alerting;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;

namespace LlmGate.Tests.Alerting.Chat;

/// <summary>Notifications and options the chat channel tests render: ordinary ones, and ones over every limit.</summary>
internal static class ChatSamples
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static AlertingOptions Options { get; } = AlertingFixture.DefaultOptions() with
    {
        ProxyBaseUrl = new Uri("https://gateway.example.com/"),
        RunbookUrls = new Dictionary<string, Uri>(StringComparer.Ordinal) { [AlertTypeNames.LlmExceptions] = new("https://runbooks.example.com/llm?a=1&b=2") },
    };

    public static AlertMessageBuilder Messages { get; } = new(Options);

    /// <summary>An <c>llm_exceptions</c> notice: Medium, two facts, an error with mrkdwn's control characters.</summary>
    public static AlertNotification Exceptions(AlertSeverity severity = AlertSeverity.Warning) => AlertNotification.Noticed(
        "llm_exceptions:gpt-4o:0123456789abcdef",
        AlertTypeNames.LlmExceptions,
        AlertTypeNames.LlmExceptions,
        "LLM API exception",
        new AlertNotice("gpt-4o failed 3 times: <b>upstream</b> & friends", severity)
        {
            Facts = [new("Model group", "gpt-4o"), new("Deployment", "d1 <openai>")],
            RecentErrors = [Error("upstream unavailable ``` & <tag>")],
        },
        Now);

    /// <summary>A notice over every chat limit: a long title and summary, 30 facts, long errors.</summary>
    public static AlertNotification Huge() => AlertNotification.Noticed(
        "huge",
        AlertTypeNames.LlmExceptions,
        AlertTypeNames.LlmExceptions,
        new string('T', 400),
        new AlertNotice(new string('s', 9000), AlertSeverity.Critical)
        {
            Facts = [.. Enumerable.Range(0, 30).Select(i => new AlertFact($"Fact {i} " + new string('n', 300), new string('v', 2500)))],
            RecentErrors = [.. Enumerable.Range(0, 5).Select(i => Error(new string((char)('a' + i), 2000)))],
        },
        Now);

    public static AlertNotification Resolved() => AlertNotification.Resolved("llm_exceptions:gpt-4o:0123456789abcdef", AlertTypeNames.LlmExceptions, Now.AddMinutes(5)) with
    {
        Type = AlertTypeNames.LlmExceptions,
        Title = "LLM API exception",
        OpenedAt = Now,
    };

    private static AlertObservation Error(string message) => new(Now, "gpt-4o", "d1", "openai", 503, "api_error", message);
}
