using LlmGate.Alerting.Silences;

namespace LlmGate.Tests.Alerting.Silences;

/// <summary>Silences for tests, from amtool's notation.</summary>
internal static class TestSilences
{
    public static Silence Create(string matchers, DateTimeOffset startsAt, TimeSpan length, string? id = null) =>
        new(id ?? Guid.NewGuid().ToString(), MatcherNotation.Parse([matchers]), startsAt, startsAt + length, "ops", "maintenance window", startsAt);
}
