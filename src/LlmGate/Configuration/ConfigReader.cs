using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>
/// Reads typed values out of YAML nodes the way LiteLLM (PyYAML) sees them, resolves <c>os.environ/</c>
/// references, and collects every diagnostic. Messages never contain a value, because a value may be a secret.
/// </summary>
internal sealed class ConfigReader(Func<string, string?> getEnvironmentVariable)
{
    private const string EnvironmentPrefix = "os.environ/";

    // Merge chains deeper than this are treated as a cycle.
    private const int MaxMergeDepth = 32;

    private readonly List<ConfigDiagnostic> _diagnostics = [];
    private readonly List<MissingVariable> _missingVariables = [];
    private readonly List<(int Line, string Path)> _notImplemented = [];
    private readonly HashSet<string> _notImplementedSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _configEnvironment = new(StringComparer.Ordinal);
    private readonly List<(int Line, string Path)> _own = [];

    public IReadOnlyList<ConfigDiagnostic> Diagnostics => _diagnostics;

    public IReadOnlyList<MissingVariable> MissingVariables => _missingVariables;

    /// <summary>Unimplemented keys in file order, each with its (first) line.</summary>
    public IEnumerable<string> NotImplemented => _notImplemented.OrderBy(k => k.Line).Select(k => $"{k.Path} (line {k.Line})");

    /// <summary>The keys read that are LlmGate's own (LiteLLM has none of them), in file order.</summary>
    public IReadOnlyList<string> OwnKeys => [.. _own.OrderBy(k => k.Line).Select(k => k.Path).Distinct(StringComparer.Ordinal)];

    /// <summary>Records <paramref name="path"/> (its key at <paramref name="keyNode"/>) as a key LlmGate has and LiteLLM has not.</summary>
    public void Own(string path, YamlNode keyNode) => _own.Add((LineOf(keyNode), path));

    public bool HasErrors => _diagnostics.Exists(d => d.Severity == ConfigSeverity.Error);

    public static int LineOf(YamlNode? node) => node is null ? 0 : (int)node.Start.Line;

    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Item(string path, int index) => $"{path}[{index}]";

    public void Error(string path, YamlNode? node, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Error, path, LineOf(node), message));

    public void Warning(string path, YamlNode? node, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Warning, path, LineOf(node), message));

    public void Add(ConfigDiagnostic diagnostic) => _diagnostics.Add(diagnostic);

    /// <summary>Records a recognised-but-unimplemented key for the single aggregated warning.</summary>
    public void AddNotImplemented(string path, YamlNode node)
    {
        if (_notImplementedSeen.Add(path))
        {
            _notImplemented.Add((LineOf(node), path));
        }
    }

    /// <summary>Reports an unset <c>os.environ/</c> variable both as a diagnostic and in the missing-variable list.</summary>
    public void ReportMissing(string name, string path, YamlNode? node, ConfigSeverity severity, string consequence)
    {
        _missingVariables.Add(new MissingVariable(name, path, LineOf(node), severity));
        var state = RawVariable(name) is null ? "is not set" : "is set but empty";
        _diagnostics.Add(new ConfigDiagnostic(severity, path, LineOf(node), $"environment variable {name} {state}: {consequence}"));
    }

    /// <summary>LiteLLM copies <c>environment_variables</c> into its process environment before resolving references.</summary>
    public void SetConfigEnvironment(string name, string value) => _configEnvironment[name] = value;

    /// <summary>A variable from <c>environment_variables</c> or the process; empty counts as unset.</summary>
    public string? GetVariable(string name) => RawVariable(name) is { Length: > 0 } value ? value : null;

    // As set, an empty value included: environment_variables first, then the process.
    private string? RawVariable(string name) => _configEnvironment.TryGetValue(name, out var configured) ? configured : getEnvironmentVariable(name);

    /// <summary>The keys of a mapping with <c>&lt;&lt;: *anchor</c> merges applied; explicit keys win, then earlier merge sources.</summary>
    public List<ConfigEntry> Entries(YamlMappingNode mapping, string path) => Entries(mapping, path, 0);

    public YamlMappingNode? Mapping(YamlNode? node, string path, string what = "a mapping") => Expect<YamlMappingNode>(node, path, what);

    public YamlSequenceNode? Sequence(YamlNode? node, string path, string what = "a list") => Expect<YamlSequenceNode>(node, path, what);

    /// <summary>
    /// The text of a scalar with <c>os.environ/</c> resolved. False when the value is null, not a scalar (an error is
    /// reported) or names an unset variable (<paramref name="missingVariable"/> is set and the caller reports it).
    /// </summary>
    public bool TryResolve(YamlNode node, string path, out string text, out string? missingVariable)
    {
        text = "";
        missingVariable = null;
        if (IsNull(node))
        {
            return false;
        }

        if (node is not YamlScalarNode scalar)
        {
            Error(path, node, $"expected a single value, found {KindOf(node)}");
            return false;
        }

        var value = scalar.Value ?? "";
        if (value.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
        {
            var name = value[EnvironmentPrefix.Length..].Trim();
            if (name.Length == 0)
            {
                Error(path, node, "os.environ/ must be followed by an environment variable name");
                return false;
            }

            var resolved = GetVariable(name);
            if (resolved is null)
            {
                missingVariable = name;
                return false;
            }

            text = resolved;
            return true;
        }

        if (value.Contains("${", StringComparison.Ordinal))
        {
            // Compose files and shells expand ${VAR}; LiteLLM does not, so the text would reach the upstream as is.
            Warning(path, node, "contains '${...}', which LiteLLM does not expand: the text is used literally; use os.environ/NAME to read a variable");
        }

        text = value;
        return true;
    }

    /// <summary>A string value; an unset variable is reported with the given severity and consequence.</summary>
    public string? ReadString(YamlNode node, string path, ConfigSeverity missingSeverity = ConfigSeverity.Warning, string? missingConsequence = null)
    {
        if (TryResolve(node, path, out var text, out var missing))
        {
            return text;
        }

        if (missing is not null)
        {
            ReportMissing(missing, path, node, missingSeverity, missingConsequence ?? (missingSeverity == ConfigSeverity.Error
                ? "the gateway does not start without it"
                : "the setting is ignored and its default applies"));
        }

        return null;
    }

    /// <summary>A number, also from a quoted string as real files write it; decimal so that 0.0000001 stays exact.</summary>
    public decimal? ReadNumber(YamlNode node, string path, string requirement, ConfigSeverity missingSeverity = ConfigSeverity.Warning)
    {
        var text = ReadString(node, path, missingSeverity);
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Error(path, node, $"must be {requirement}");
        return null;
    }

    public int? ReadInt(YamlNode node, string path, int minimum, ConfigSeverity missingSeverity = ConfigSeverity.Warning)
    {
        var requirement = $"an integer >= {minimum}";
        var number = ReadNumber(node, path, requirement, missingSeverity);
        if (number is not { } value)
        {
            return null;
        }

        if (value != decimal.Truncate(value) || value < minimum || value > int.MaxValue)
        {
            Error(path, node, $"must be {requirement}");
            return null;
        }

        return (int)value;
    }

    public decimal? ReadPositive(YamlNode node, string path, ConfigSeverity missingSeverity = ConfigSeverity.Warning)
    {
        const string Requirement = "a number greater than 0";
        var number = ReadNumber(node, path, Requirement, missingSeverity);
        if (number is { } value && value <= 0)
        {
            Error(path, node, $"must be {Requirement}");
            return null;
        }

        return number;
    }

    /// <summary>Seconds as a <see cref="TimeSpan"/>, rounded up to whole ticks so that a tiny threshold never becomes zero.</summary>
    public TimeSpan? ReadSeconds(YamlNode node, string path, ConfigSeverity missingSeverity = ConfigSeverity.Warning)
    {
        const string Requirement = "a number of seconds greater than 0";
        var number = ReadNumber(node, path, Requirement, missingSeverity);
        if (number is not { } seconds)
        {
            return null;
        }

        if (seconds <= 0)
        {
            Error(path, node, $"must be {Requirement}");
            return null;
        }

        if (seconds > (decimal)TimeSpan.MaxValue.TotalSeconds - 1)
        {
            Error(path, node, "is too large for a number of seconds");
            return null;
        }

        var ticks = decimal.Ceiling(seconds * TimeSpan.TicksPerSecond);
        return TimeSpan.FromTicks(Math.Max(1L, (long)ticks));
    }

    /// <summary>YAML booleans as PyYAML reads them (true/false, yes/no, on/off), also quoted as Python users write them.</summary>
    public bool? ReadBool(YamlNode node, string path, ConfigSeverity missingSeverity = ConfigSeverity.Warning)
    {
        var text = ReadString(node, path, missingSeverity);
        switch (text?.Trim().ToUpperInvariant())
        {
            case null:
                return null;
            case "TRUE" or "YES" or "ON":
                return true;
            case "FALSE" or "NO" or "OFF":
                return false;
            default:
                Error(path, node, "must be true or false");
                return null;
        }
    }

    /// <summary>An absolute http or https URL; the value is not echoed because it may carry credentials.</summary>
    public Uri? ParseHttpUrl(string text, string path, YamlNode? node, string source = "")
    {
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        Error(path, node, $"{source}must be an absolute http:// or https:// URL");
        return null;
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    // Null (an empty value or ~) is an absent section, not a type error.
    private T? Expect<T>(YamlNode? node, string path, string what)
        where T : YamlNode
    {
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is T expected)
        {
            return expected;
        }

        Error(path, node, $"expected {what}, found {KindOf(node)}");
        return null;
    }

    private static string KindOf(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a single value",
    };

    private List<ConfigEntry> Entries(YamlMappingNode mapping, string path, int depth)
    {
        var entries = new List<ConfigEntry>(mapping.Children.Count);
        var merged = new List<ConfigEntry>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } keyScalar)
            {
                Error(path, keyNode, "keys must be strings");
                continue;
            }

            if (key == "<<" && keyScalar.Style is ScalarStyle.Plain or ScalarStyle.Any)
            {
                merged.AddRange(MergeSources(value, Child(path, "<<"), depth));
            }
            else
            {
                entries.Add(new ConfigEntry(key, keyNode, value));
            }
        }

        var seen = new HashSet<string>(entries.Select(e => e.Key), StringComparer.Ordinal);
        entries.AddRange(merged.Where(e => seen.Add(e.Key)));
        return entries;
    }

    private List<ConfigEntry> MergeSources(YamlNode value, string path, int depth)
    {
        if (depth >= MaxMergeDepth)
        {
            Error(path, value, "merge keys nest too deeply (a cycle of anchors?)");
            return [];
        }

        switch (value)
        {
            case YamlMappingNode source:
                return Entries(source, path, depth + 1);
            case YamlSequenceNode sources:
                var entries = new List<ConfigEntry>();
                foreach (var item in sources.Children)
                {
                    if (item is YamlMappingNode source)
                    {
                        entries.AddRange(Entries(source, path, depth + 1));
                    }
                    else
                    {
                        Error(path, item, "a merge key takes a mapping or a list of mappings (e.g. <<: *defaults)");
                    }
                }

                return entries;
            default:
                Error(path, value, "a merge key takes a mapping or a list of mappings (e.g. <<: *defaults)");
                return [];
        }
    }
}
