using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmGate.Alerting.Silences;

/// <summary>Reads a silence's length as amtool does: <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1h30m</c>, <c>1d</c>, <c>1w</c>.</summary>
internal static partial class SilenceDuration
{
    /// <exception cref="FormatException">Not a duration, or zero.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Units().Match(text.Trim());
        if (!match.Success || match.Length == 0)
        {
            throw new FormatException($"'{text}' is not a duration: write e.g. 90s, 30m, 2h, 1h30m or 1d");
        }

        var total = TimeSpan.Zero;
        total += Part(match, "w", TimeSpan.FromDays(7));
        total += Part(match, "d", TimeSpan.FromDays(1));
        total += Part(match, "h", TimeSpan.FromHours(1));
        total += Part(match, "m", TimeSpan.FromMinutes(1));
        total += Part(match, "s", TimeSpan.FromSeconds(1));
        if (total <= TimeSpan.Zero)
        {
            throw new FormatException($"'{text}' is no time at all: a silence must last a while");
        }

        return total;
    }

    private static TimeSpan Part(Match match, string unit, TimeSpan size)
    {
        var group = match.Groups[unit];
        if (!group.Success)
        {
            return TimeSpan.Zero;
        }

        // Bounded digits (below) keep this far from overflow.
        return size * long.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?:(?<w>\d{1,4})w)?(?:(?<d>\d{1,5})d)?(?:(?<h>\d{1,6})h)?(?:(?<m>\d{1,7})m)?(?:(?<s>\d{1,9})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Units();
}
