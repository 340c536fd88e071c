using System.Text.RegularExpressions;

namespace LlmGate.Alerting.Silences;

/// <summary>
/// Reads matchers as amtool writes them: <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c>,
/// <c>name!~regex</c>, several in one argument separated by commas; a value may be double-quoted (to hold a comma).
/// </summary>
internal static partial class MatcherNotation
{
    /// <summary>The matchers in <paramref name="arguments"/> (each a comma-separated list).</summary>
    /// <exception cref="FormatException">A matcher is malformed, names an unknown label or has a bad regex.</exception>
    public static IReadOnlyList<SilenceMatcher> Parse(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var matchers = new List<SilenceMatcher>();
        foreach (var argument in arguments)
        {
            foreach (var part in Split(argument))
            {
                matchers.Add(ParseOne(part));
            }
        }

        return matchers;
    }

    public static SilenceMatcher ParseOne(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = OneMatcher().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is not a matcher: write name=value, name!=value, name=~regex or name!~regex");
        }

        var op = match.Groups["op"].Value;
        var value = match.Groups["value"].Value;
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
        }

        return SilenceMatcher.Create(match.Groups["name"].Value, value, isRegex: op[^1] == '~', isEqual: op[0] != '!');
    }

    // A comma starts a new matcher only outside quotes and when a name and an operator follow it, so a regex such as
    // a{1,3} stays whole.
    private static IEnumerable<string> Split(string argument)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < argument.Length; i++)
        {
            if (argument[i] == '"' && (i == 0 || argument[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (argument[i] == ',' && !quoted && NextMatcher().IsMatch(argument.AsSpan(i + 1)))
            {
                yield return argument[start..i];
                start = i + 1;
            }
        }

        if (start < argument.Length || start == 0)
        {
            yield return argument[start..];
        }
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?<op>=~|!~|!=|=)\s*(?<value>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex OneMatcher();

    [GeneratedRegex(@"^\s*[A-Za-z_][A-Za-z0-9_]*\s*(=~|!~|!=|=)", RegexOptions.CultureInvariant)]
    private static partial Regex NextMatcher();
}
