using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmGate.OpenAi;
using LlmGate.Routing;
using LlmGate.Secrets;

namespace LlmGate.Alerting.PagerDuty;

/// <summary>
/// Builds Events API v2 bodies (without the routing key). Text is cut to PagerDuty's limits; a body that would pass
/// 512 KB loses detail field by field (shorter messages, fewer recent errors, no breakdowns) instead of failing.
/// </summary>
internal static class PagerDutyEventBuilder
{
    public const string Component = "llmgate";
    private const int MaxBreakdownEntries = 100;
    private const int SummaryTopEntries = 5;
    private const string Others = "(others)";

    private enum Detail
    {
        Full,
        ShortMessages,
        OneRecentError,
        NoRecentErrors,
        NoBreakdowns,
        CountsOnly,
    }

    public static PagerDutyEvent Trigger(
        AlertRule rule,
        string scope,
        bool scopedToModelGroup,
        WindowSnapshot snapshot,
        string source,
        string severity,
        DateTimeOffset now,
        TimeSpan hangingThreshold,
        int maxBodyBytes = PagerDutyLimits.MaxBodyBytes,
        IReadOnlyList<DeploymentHealthStatus>? deployments = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(snapshot);
        var dedupKey = DedupKeys.For(rule, scope);
        var group = scopedToModelGroup ? scope : null;
        var summary = Summary(rule, snapshot, group);
        var budget = maxBodyBytes - PagerDutyLimits.RoutingKeyAllowance;

        foreach (var detail in Enum.GetValues<Detail>())
        {
            var body = WriteTrigger(rule, dedupKey, group, summary, snapshot, source, severity, now, hangingThreshold, detail, deployments);
            if (body.Length <= budget || detail == Detail.CountsOnly)
            {
                return new PagerDutyEvent(dedupKey, PagerDutyEvent.Trigger, Encoding.UTF8.GetString(body));
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    public static PagerDutyEvent Resolve(string dedupKey)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("event_action", PagerDutyEvent.Resolve);
            json.WriteString("dedup_key", dedupKey);
            json.WriteEndObject();
        }

        return new PagerDutyEvent(dedupKey, PagerDutyEvent.Resolve, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public static PagerDutyEvent FireDrillTrigger(string dedupKey, string source, string severity, DateTimeOffset now) =>
        NoticeTrigger(dedupKey, "LlmGate fire drill: test alert, resolved automatically.", "llmgate_fire_drill", source, severity, now);

    /// <summary>A trigger about the gateway itself (a fire drill, shared state lost): a summary and a class, no window details.</summary>
    public static PagerDutyEvent NoticeTrigger(string dedupKey, string summary, string className, string source, string severity, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("event_action", PagerDutyEvent.Trigger);
            json.WriteString("dedup_key", dedupKey);
            json.WriteStartObject("payload");
            json.WriteString("summary", SecretScrubber.Truncate(summary, PagerDutyLimits.MaxSummaryLength));
            json.WriteString("source", Cut(source));
            json.WriteString("severity", severity);
            json.WriteString("timestamp", now.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
            json.WriteString("component", Component);
            json.WriteString("class", className);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new PagerDutyEvent(dedupKey, PagerDutyEvent.Trigger, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>LiteLLM's wording, then the most affected model groups (or deployments, for one group), at most 1024 characters.</summary>
    public static string Summary(AlertRule rule, WindowSnapshot snapshot, string? group)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{rule.SummaryTitle}: {snapshot.Count} in the last {FormatSeconds(rule.Window)} seconds.");
        if (group is not null)
        {
            text.Append(" Model group: ").Append(group).Append('.');
            AppendTop(text, " Deployments: ", Tally(snapshot.Breakdown, k => k.DeploymentId));
        }
        else
        {
            AppendTop(text, " Model groups: ", Tally(snapshot.Breakdown, k => k.ModelGroup));
        }

        return SecretScrubber.Truncate(text.ToString(), PagerDutyLimits.MaxSummaryLength);
    }

    /// <summary>Seconds as people write them: 10, 0.5, 0.0000001 (never 1E-07).</summary>
    public static string FormatSeconds(TimeSpan duration) => Seconds(duration).ToString("0.#######", CultureInfo.InvariantCulture);

    /// <summary>Exact seconds (a decimal, so 0.0000001 stays 0.0000001 in JSON).</summary>
    public static decimal Seconds(TimeSpan duration) => (decimal)duration.Ticks / TimeSpan.TicksPerSecond;

    private static void AppendTop(StringBuilder text, string label, List<KeyValuePair<string, int>> tally)
    {
        if (tally.Count == 0)
        {
            return;
        }

        text.Append(label);
        var shown = Math.Min(SummaryTopEntries, tally.Count);
        for (var i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(tally[i].Key).Append(CultureInfo.InvariantCulture, $" ({tally[i].Value})");
        }

        text.Append(tally.Count > shown ? ", …" : ".");
    }

    private static byte[] WriteTrigger(
        AlertRule rule,
        string dedupKey,
        string? group,
        string summary,
        WindowSnapshot snapshot,
        string source,
        string severity,
        DateTimeOffset now,
        TimeSpan hangingThreshold,
        Detail detail,
        IReadOnlyList<DeploymentHealthStatus>? deployments)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("event_action", PagerDutyEvent.Trigger);
            json.WriteString("dedup_key", dedupKey);
            json.WriteStartObject("payload");
            json.WriteString("summary", summary);
            json.WriteString("source", Cut(source));
            json.WriteString("severity", severity);
            json.WriteString("timestamp", now.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
            json.WriteString("component", Component);
            if (group is not null)
            {
                json.WriteString("group", Cut(group));
            }

            json.WriteString("class", rule.ClassName);
            json.WriteStartObject("custom_details");
            WriteDetails(json, rule, group, snapshot, hangingThreshold, detail);
            if (deployments is { Count: > 0 } && detail < Detail.NoBreakdowns)
            {
                WriteDeploymentHealth(json, deployments, group);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteDetails(Utf8JsonWriter json, AlertRule rule, string? group, WindowSnapshot snapshot, TimeSpan hangingThreshold, Detail detail)
    {
        json.WriteString("scope", group is null ? AlertScopes.Gateway : Cut(group));
        json.WriteNumber("count", snapshot.Count);
        json.WriteNumber("threshold", rule.Threshold);
        json.WriteNumber("window_seconds", Seconds(rule.Window));
        if (rule.Kind == AlertKind.Hang)
        {
            json.WriteNumber("hanging_threshold_seconds", Seconds(hangingThreshold));
        }

        if (detail >= Detail.NoBreakdowns)
        {
            json.WriteString("note", "Breakdowns and recent errors were left out to keep the event under PagerDuty's 512 KB limit.");
            return;
        }

        WriteTally(json, "by_model_group", Tally(snapshot.Breakdown, k => k.ModelGroup));
        WriteTally(json, "by_deployment", Tally(snapshot.Breakdown, k => k.DeploymentId));
        if (rule.Kind == AlertKind.Failure)
        {
            WriteTally(json, "by_status", Tally(snapshot.Breakdown, k => k.Status.ToString(CultureInfo.InvariantCulture)));
        }

        var recentErrors = detail switch
        {
            Detail.Full or Detail.ShortMessages => snapshot.RecentErrors.Count,
            Detail.OneRecentError => Math.Min(1, snapshot.RecentErrors.Count),
            _ => 0,
        };
        var messageLength = detail == Detail.Full ? SecretScrubber.MaxMessageLength : 50;
        json.WriteStartArray(rule.Kind == AlertKind.Failure ? "recent_errors" : "recent_hangs");
        foreach (var error in snapshot.RecentErrors.Take(recentErrors))
        {
            json.WriteStartObject();
            if (rule.Kind == AlertKind.Failure)
            {
                json.WriteNumber("status", error.Status);
                json.WriteString("type", Cut(error.ErrorType));
            }

            json.WriteString("message", SecretScrubber.Truncate(error.Message, messageLength));
            json.WriteString("model_group", Cut(error.ModelGroup));
            json.WriteString("deployment_id", Cut(error.DeploymentId));
            json.WriteString("provider", Cut(error.Provider));
            json.WriteString("timestamp", error.Timestamp.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (detail != Detail.Full)
        {
            json.WriteString("note", "Recent errors were shortened to keep the event under PagerDuty's 512 KB limit.");
        }
    }

    // The router's view: failed attempts (retried ones too, which are not failed requests) and cooldowns, per deployment.
    private static void WriteDeploymentHealth(Utf8JsonWriter json, IReadOnlyList<DeploymentHealthStatus> deployments, string? group)
    {
        var relevant = deployments.Where(d => group is null || d.ModelGroup is null || d.ModelGroup == group).Take(MaxBreakdownEntries).ToList();
        var written = new HashSet<string>(StringComparer.Ordinal);
        json.WriteStartObject("failed_attempts_by_deployment");
        foreach (var deployment in relevant.Where(d => d.FailedAttempts > 0))
        {
            if (written.Add(Cut(deployment.DeploymentId)))
            {
                json.WriteNumber(Cut(deployment.DeploymentId), deployment.FailedAttempts);
            }
        }

        json.WriteEndObject();
        written.Clear();
        json.WriteStartObject("cooling_down");
        foreach (var deployment in relevant)
        {
            if (deployment.CoolingDownUntil is { } until && written.Add(Cut(deployment.DeploymentId)))
            {
                json.WriteString(Cut(deployment.DeploymentId), until.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
            }
        }

        json.WriteEndObject();
    }

    private static void WriteTally(Utf8JsonWriter json, string name, List<KeyValuePair<string, int>> tally)
    {
        json.WriteStartObject(name);
        var others = 0;
        var written = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tally.Count; i++)
        {
            // Names cut to the same text must not become duplicate JSON members.
            var entryName = Cut(tally[i].Key);
            if (i < MaxBreakdownEntries && entryName != Others && written.Add(entryName))
            {
                json.WriteNumber(entryName, tally[i].Value);
            }
            else
            {
                others += tally[i].Value;
            }
        }

        if (others > 0)
        {
            json.WriteNumber(Others, others);
        }

        json.WriteEndObject();
    }

    /// <summary>Counts per name, largest first (ties by name, so the order is stable).</summary>
    public static List<KeyValuePair<string, int>> Tally(IReadOnlyDictionary<BreakdownKey, int> breakdown, Func<BreakdownKey, string> name)
    {
        var tally = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, count) in breakdown)
        {
            var keyName = name(key);
            tally[keyName] = tally.GetValueOrDefault(keyName) + count;
        }

        return [.. tally.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)];
    }

    private static string Cut(string text) => SecretScrubber.Truncate(text, PagerDutyLimits.MaxNameLength);
}
