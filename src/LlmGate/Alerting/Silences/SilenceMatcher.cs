using System.Text.RegularExpressions;

namespace LlmGate.Alerting.Silences;

/// <summary>
/// One label test of a silence, with Alertmanager's semantics: a regex is anchored at both ends (<c>^(?:…)$</c>),
/// culture-invariant and given a match timeout; a label the alert lacks matches as the empty string; <see cref="IsEqual"/>
/// false negates the test. Build it with <see cref="Create"/>, which checks the name and compiles the regex once.
/// </summary>
internal sealed class SilenceMatcher
{
    /// <summary>How long one regex test may run: a pathological pattern must not stall the notifier.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    private readonly Regex? _regex;

    private SilenceMatcher(string name, string value, bool isRegex, bool isEqual, Regex? regex)
    {
        Name = name;
        Value = value;
        IsRegex = isRegex;
        IsEqual = isEqual;
        _regex = regex;
    }

    public string Name { get; }

    public string Value { get; }

    public bool IsRegex { get; }

    public bool IsEqual { get; }

    /// <summary>The matcher, or an exception whose message says what is wrong (unknown label, bad regex).</summary>
    /// <exception cref="FormatException">The name is not a label alerts carry, or the regex does not compile.</exception>
    public static SilenceMatcher Create(string name, string value, bool isRegex, bool isEqual)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!AlertLabels.Names.Contains(name, StringComparer.Ordinal))
        {
            throw new FormatException($"unknown label name '{name}'; matchers may use {string.Join(", ", AlertLabels.Names)}");
        }

        Regex? regex = null;
        if (isRegex)
        {
            try
            {
                regex = new Regex("^(?:" + value + ")$", RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (ArgumentException exception)
            {
                throw new FormatException($"matcher {name}: invalid regex '{value}': {exception.Message}", exception);
            }
        }

        return new SilenceMatcher(name, value, isRegex, isEqual, regex);
    }

    /// <summary>Whether the alert's <paramref name="labels"/> pass this test (a missing label is the empty string).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return MatchesValue(AlertLabels.Get(labels, Name));
    }

    public bool MatchesValue(string value)
    {
        bool matched;
        if (_regex is null)
        {
            matched = string.Equals(value, Value, StringComparison.Ordinal);
        }
        else
        {
            try
            {
                matched = _regex.IsMatch(value);
            }
            catch (RegexMatchTimeoutException)
            {
                // Undecidable in time: the silence does not apply, so the alert is delivered rather than lost.
                return false;
            }
        }

        return matched == IsEqual;
    }

    /// <summary>amtool's notation: <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c>, <c>name!~regex</c>.</summary>
    public static string Notation(string name, string value, bool isRegex, bool isEqual) => (isRegex, isEqual) switch
    {
        (false, true) => $"{name}={value}",
        (false, false) => $"{name}!={value}",
        (true, true) => $"{name}=~{value}",
        (true, false) => $"{name}!~{value}",
    };

    public override string ToString() => Notation(Name, Value, IsRegex, IsEqual);
}
