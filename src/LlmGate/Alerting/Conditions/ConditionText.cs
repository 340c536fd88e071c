using System.Globalization;
using LlmGate.Alerting.PagerDuty;

namespace LlmGate.Alerting.Conditions;

/// <summary>How conditions write numbers, times and tallies in their messages.</summary>
internal static class ConditionText
{
    public const int TopEntries = 5;

    public static string Seconds(TimeSpan duration) => PagerDutyEventBuilder.FormatSeconds(duration);

    public static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"503 (4), 429 (1)": the largest first, at most <see cref="TopEntries"/>.</summary>
    public static string Tally<TKey>(IReadOnlyDictionary<TKey, long> counts)
        where TKey : notnull
    {
        var ordered = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key.ToString(), StringComparer.Ordinal).ToList();
        var top = string.Join(", ", ordered.Take(TopEntries).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} ({p.Value})")));
        return ordered.Count > TopEntries ? top + ", …" : top;
    }
}
