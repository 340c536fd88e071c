using LlmGate.Redis;

namespace LlmGate.Alerting;

/// <summary>
/// One (kind, scope) window as Redis keeps it: counts in 60 time buckets of W/60 (a bucket leaves the window when
/// its start is W old, so an event leaves at most one bucket early), each bucket broken down by model group,
/// deployment and status, and a capped list of recent observations.
/// </summary>
internal sealed class SharedWindow
{
    public const int BucketsPerWindow = 60;
    public const char Separator = '\u001f';

    public SharedWindow(AlertRule rule, string scope)
    {
        Rule = rule;
        Scope = scope;
        WindowTicks = rule.Window.Ticks;
        BucketTicks = Math.Max(1, (rule.Window.Ticks + BucketsPerWindow - 1) / BucketsPerWindow);
        CountsKey = RedisKeys.Window(rule.ClassName, scope);
        RecentKey = RedisKeys.Recent(rule.ClassName, scope);
    }

    public AlertRule Rule { get; }

    public string Scope { get; }

    public long WindowTicks { get; }

    public long BucketTicks { get; }

    public string CountsKey { get; }

    public string RecentKey { get; }

    /// <summary>How long Redis keeps the keys after the last write: the window and a margin for late flushes.</summary>
    public TimeSpan Expiry => TimeSpan.FromTicks(WindowTicks) + TimeSpan.FromMinutes(1);

    public long BucketOf(DateTimeOffset timestamp) => timestamp.UtcTicks / BucketTicks;

    /// <summary>The window is (now - W, now], judged by each bucket's start.</summary>
    public bool InWindow(long bucket, DateTimeOffset now)
    {
        var start = bucket * BucketTicks;
        return start > now.UtcTicks - WindowTicks && start <= now.UtcTicks;
    }

    /// <summary>
    /// True once the bucket can be in no window the detector still judges: those ending since its last evaluation, an
    /// <see cref="AlertDetector.EvaluationInterval"/> ago at most (a bucket that left just before a tick still counts
    /// toward that tick's peak).
    /// </summary>
    public bool IsExpired(long bucket, DateTimeOffset now) => bucket * BucketTicks <= (now - AlertDetector.EvaluationInterval).UtcTicks - WindowTicks;

    public static string Field(long bucket, BreakdownKey key) =>
        string.Join(Separator, bucket.ToString(System.Globalization.CultureInfo.InvariantCulture), Clean(key.ModelGroup), Clean(key.DeploymentId), key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static bool TryParseField(string field, out long bucket, out BreakdownKey key)
    {
        var parts = field.Split(Separator);
        key = default;
        bucket = 0;
        if (parts.Length != 4
            || !long.TryParse(parts[0], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out bucket)
            || !int.TryParse(parts[3], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var status))
        {
            return false;
        }

        key = new BreakdownKey(parts[1], parts[2], status);
        return true;
    }

    private static string Clean(string text) => text.Replace(Separator, '?');
}
