using System.Security.Cryptography;
using LlmGate.Configuration;
using LlmGate.Providers;
using LlmGate.Routing;
using Microsoft.Extensions.Logging;

namespace LlmGate.Reload;

/// <summary>
/// Reloads the config file the gateway was started with (<c>POST /config/reload</c>, SIGHUP, the file watch): reads
/// and validates it completely, as at start; with any error it changes nothing and reports every error; otherwise it
/// swaps the <see cref="GatewaySnapshot"/> (requests in flight finish on theirs) and tells the
/// <see cref="IConfigReloadListener"/>s. Settings only a restart can change keep their running values
/// (<see cref="RestartOnlySettings"/>). One reload at a time.
/// </summary>
internal sealed class ConfigReloader
{
    private readonly string? _path;
    private readonly Func<string, string?> _getEnvironmentVariable;
    private readonly GatewaySnapshotSource _snapshots;
    private readonly ProviderAdapters _adapters;
    private readonly IEnumerable<IConfigReloadListener> _listeners;
    private readonly TimeProvider _time;
    private readonly ILogger<ConfigReloader> _logger;
    private readonly Lock _lock = new();
    private byte[]? _inUseHash;
    private ReloadResult? _last;

    /// <param name="path">The file the config in use came from; null when it came from text.</param>
    /// <param name="inUseHash">SHA-256 of the bytes the config in use was read from.</param>
    public ConfigReloader(
        string? path,
        byte[]? inUseHash,
        Func<string, string?> getEnvironmentVariable,
        GatewaySnapshotSource snapshots,
        ProviderAdapters adapters,
        IEnumerable<IConfigReloadListener> listeners,
        TimeProvider time,
        ILogger<ConfigReloader> logger)
    {
        _path = path;
        _getEnvironmentVariable = getEnvironmentVariable;
        _snapshots = snapshots;
        _adapters = adapters;
        _listeners = listeners;
        _time = time;
        _logger = logger;
        LoadedAt = time.GetUtcNow();
        _inUseHash = inUseHash;
    }

    /// <summary>The file reloads read; null for a gateway built from text (tests), which cannot reload.</summary>
    public string? Path => _path;

    /// <summary>When the config in use was loaded: the start, or the last applied reload.</summary>
    public DateTimeOffset LoadedAt { get; private set; }

    /// <summary>The last reload attempt, applied or not; null before the first.</summary>
    public ReloadResult? Last => Volatile.Read(ref _last);

    public ReloadResult Reload(string trigger)
    {
        lock (_lock)
        {
            var result = ReloadNow(trigger);
            Volatile.Write(ref _last, result);
            Log(result);
            return result;
        }
    }

    /// <summary>True when the file's bytes differ from those in use (or it cannot be read): the watch's cheap check.</summary>
    public bool FileDiffers(byte[]? hash) => hash is null || _inUseHash is null || !hash.AsSpan().SequenceEqual(_inUseHash);

    /// <summary>SHA-256 of the file, or null when it cannot be read now.</summary>
    public static byte[]? HashOf(string path)
    {
        try
        {
            return SHA256.HashData(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private ReloadResult ReloadNow(string trigger)
    {
        var now = _time.GetUtcNow();
        if (_path is null)
        {
            return Refused(trigger, now, ["the gateway was not started from a config file, so there is nothing to reload"], []);
        }

        var loaded = ConfigLoader.Load(_path, _getEnvironmentVariable);
        var hash = loaded.SourceHash;
        if (hash is not null && !FileDiffers(hash))
        {
            return new ReloadResult { Outcome = ReloadOutcome.Unchanged, Trigger = trigger, At = now };
        }

        var warnings = loaded.Warnings.Select(w => w.ToString()).ToList();
        if (loaded.Config is not { } next)
        {
            return Refused(trigger, now, [.. loaded.Errors.Select(e => e.ToString())], warnings);
        }

        var running = _snapshots.Current;
        var applied = RestartOnlySettings.KeepRunning(running.Config, next);
        var routes = new RouteTable(applied.Deployments, _adapters, _getEnvironmentVariable, running.Routes, applied.Router.ModelGroupAlias);
        if (routes.ConfigurationErrors() is { Count: > 0 } problems)
        {
            return Refused(trigger, now, problems, warnings);
        }

        var changes = Changes(running.Config, applied);
        _snapshots.Swap(new GatewaySnapshot(applied, routes));
        foreach (var listener in _listeners)
        {
            listener.OnConfigReloaded(running.Config, applied);
        }

        _inUseHash = hash;
        LoadedAt = now;
        return new ReloadResult
        {
            Outcome = ReloadOutcome.Applied,
            Trigger = trigger,
            At = now,
            Warnings = warnings,
            Changes = changes,
            RestartRequired = RestartOnlySettings.Changed(running.Config, next),
        };
    }

    private static ReloadResult Refused(string trigger, DateTimeOffset now, IReadOnlyList<string> errors, IReadOnlyList<string> warnings) =>
        new() { Outcome = ReloadOutcome.Refused, Trigger = trigger, At = now, Errors = errors, Warnings = warnings };

    // What an operator checks after a reload; never a value (keys are secrets), only what changed.
    private static List<string> Changes(GatewayConfig running, GatewayConfig applied)
    {
        var changes = new List<string>();
        var before = running.Deployments.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var after = applied.Deployments.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var added = after.Keys.Count(id => !before.ContainsKey(id));
        var removed = before.Keys.Count(id => !after.ContainsKey(id));
        var changed = after.Count(a => before.TryGetValue(a.Key, out var was) && !ConfigFingerprint.Same(was with { Line = 0 }, a.Value with { Line = 0 }));
        if (added + removed + changed > 0)
        {
            changes.Add($"model_list: {added} added, {removed} removed, {changed} changed");
        }

        if (!string.Equals(running.MasterKey, applied.MasterKey, StringComparison.Ordinal))
        {
            changes.Add("general_settings.master_key");
        }

        if (!ConfigFingerprint.Same(running.Router, applied.Router))
        {
            changes.Add("router_settings");
        }

        if ((running.RequestTimeout, running.StreamTimeout, running.DropParams, running.AlwaysIncludeStreamUsage)
            != (applied.RequestTimeout, applied.StreamTimeout, applied.DropParams, applied.AlwaysIncludeStreamUsage))
        {
            changes.Add("timeouts and request settings (litellm_settings)");
        }

        if (running.Alerting is { } was && applied.Alerting is { } now)
        {
            if ((was.FailureThreshold, was.HangingThreshold, was.HangingThresholdFails, was.IgnoreClientErrors)
                != (now.FailureThreshold, now.HangingThreshold, now.HangingThresholdFails, now.IgnoreClientErrors))
            {
                changes.Add("alerting_args thresholds");
            }

            if (!string.Equals(was.PagerDuty?.RoutingKey, now.PagerDuty?.RoutingKey, StringComparison.Ordinal))
            {
                changes.Add("the PagerDuty routing key (open incidents resolve where they were opened)");
            }
            else if (!ConfigFingerprint.Same(was.PagerDuty, now.PagerDuty))
            {
                changes.Add("PagerDuty event settings");
            }
        }

        return changes;
    }

    private void Log(ReloadResult result)
    {
        var trigger = result.Trigger;
        foreach (var warning in result.Warnings)
        {
            ReloadLog.Warning(_logger, trigger, warning);
        }

        switch (result.Outcome)
        {
            case ReloadOutcome.Refused:
                foreach (var error in result.Errors)
                {
                    ReloadLog.RefusedError(_logger, trigger, error);
                }

                break;
            case ReloadOutcome.Unchanged:
                ReloadLog.Unchanged(_logger, trigger);
                break;
            default:
                ReloadLog.Applied(_logger, trigger, _path!, result.Changes.Count == 0 ? "no setting changed" : string.Join("; ", result.Changes));
                foreach (var setting in result.RestartRequired)
                {
                    ReloadLog.RestartRequired(_logger, trigger, setting);
                }

                break;
        }
    }
}
