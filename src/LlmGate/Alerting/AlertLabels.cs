namespace LlmGate.Alerting;

/// <summary>
/// The labels an alert carries, as Alertmanager's: what silences match on (with <see cref="Channel"/>, added per
/// channel). A label an alert does not have matches as the empty string, as in Alertmanager.
/// </summary>
internal static class AlertLabels
{
    public const string AlertType = "alert_type";
    public const string Class = "class";
    public const string Scope = "scope";
    public const string ModelGroup = "model_group";
    public const string Deployment = "deployment";
    public const string Provider = "provider";
    public const string Region = "region";
    public const string Severity = "severity";
    public const string Channel = "channel";

    /// <summary>Every label name, for checking a silence's matchers.</summary>
    public static readonly IReadOnlyList<string> Names = [AlertType, Class, Scope, ModelGroup, Deployment, Provider, Region, Severity, Channel];

    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Of(
        string type,
        string className,
        string scope,
        string? modelGroup = null,
        string? deployment = null,
        string? provider = null,
        string? region = null,
        AlertSeverity? severity = null)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AlertType] = type,
            [Class] = className,
            [Scope] = scope,
        };
        Add(labels, ModelGroup, modelGroup);
        Add(labels, Deployment, deployment);
        Add(labels, Provider, provider);
        Add(labels, Region, region);
        Add(labels, Severity, severity?.ToString().ToLowerInvariant());
        return labels;
    }

    /// <summary>The value of <paramref name="name"/>, the empty string when the alert has no such label.</summary>
    public static string Get(IReadOnlyDictionary<string, string> labels, string name) => labels.GetValueOrDefault(name) ?? "";

    private static void Add(Dictionary<string, string> labels, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            labels[name] = value;
        }
    }
}
