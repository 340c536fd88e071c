using System.Text.Json;
using LlmGate.Alerting.Delivery;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Silences;

/// <summary>
/// The silences this replica knows, as an immutable snapshot swapped on every change, so the notifier reads them with
/// no I/O and no lock. Every change is written through to the outbox's SQLite file (a restart keeps them), and a local
/// one is remembered as not yet shared until <see cref="RedisSilenceSync"/> has pushed it. Between two copies of one
/// silence, the later <see cref="Silence.UpdatedAt"/> wins.
/// </summary>
internal sealed class SilenceStore
{
    private readonly SqliteAlertOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger<SilenceStore> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Silence> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _unshared = new(StringComparer.Ordinal);
    private volatile Silence[] _current = [];

    public SilenceStore(SqliteAlertOutbox outbox, TimeProvider time, ILogger<SilenceStore> logger)
    {
        _outbox = outbox;
        _time = time;
        _logger = logger;
        foreach (var body in outbox.LoadSilences())
        {
            if (Read(body) is { } silence)
            {
                _byId[silence.Id] = silence;
            }
            else
            {
                SilenceLog.Unreadable(logger, "outbox file");
            }
        }

        Publish();
        if (_byId.Count > 0)
        {
            SilenceLog.Loaded(logger, _byId.Count);
        }
    }

    /// <summary>Every silence known, the most recently changed first.</summary>
    public IReadOnlyList<Silence> Current => _current;

    public Silence? Find(string id) => Array.Find(_current, s => s.Id == id);

    /// <summary>An active silence holding back an alert with <paramref name="labels"/> from a channel of <paramref name="channelKind"/>, or null.</summary>
    public Silence? Matching(IReadOnlyDictionary<string, string> labels, string channelKind, DateTimeOffset now)
    {
        var current = _current;
        if (current.Length == 0)
        {
            return null;
        }

        var withChannel = Silence.WithChannel(labels, channelKind);
        foreach (var silence in current)
        {
            if (silence.StateAt(now) == SilenceState.Active && silence.Matches(withChannel))
            {
                return silence;
            }
        }

        return null;
    }

    /// <summary>A change made here (the API): stored, published, and queued to share.</summary>
    public void Put(Silence silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        lock (_lock)
        {
            _outbox.SaveSilence(silence.Id, Write(silence), silence.EndsAt, silence.UpdatedAt);
            _byId[silence.Id] = silence;
            _unshared[silence.Id] = silence.UpdatedAt;
            Publish();
        }
    }

    /// <summary>Ends <paramref name="id"/> now (a pending one never starts); kept for audit. Null when unknown.</summary>
    public Silence? Expire(string id)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var silence))
            {
                return null;
            }

            if (silence.StateAt(now) == SilenceState.Expired)
            {
                return silence;
            }

            var expired = silence with { StartsAt = silence.StartsAt > now ? now : silence.StartsAt, EndsAt = now, UpdatedAt = now };
            Put(expired);
            return expired;
        }
    }

    /// <summary>A copy from another replica: taken when newer than ours. True when it changed anything.</summary>
    public bool Merge(Silence silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        lock (_lock)
        {
            if (_byId.TryGetValue(silence.Id, out var known) && known.UpdatedAt >= silence.UpdatedAt)
            {
                return false;
            }

            _byId[silence.Id] = silence;
            Publish();
            try
            {
                _outbox.SaveSilence(silence.Id, Write(silence), silence.EndsAt, silence.UpdatedAt);
            }
#pragma warning disable CA1031 // the shared copy still holds it; the local file catches up on its next change
            catch (Exception exception)
#pragma warning restore CA1031
            {
                SilenceLog.SaveFailed(_logger, exception, silence.Id);
            }

            return true;
        }
    }

    /// <summary>The local changes not yet shared, with the version of each.</summary>
    public IReadOnlyList<Silence> Unshared()
    {
        lock (_lock)
        {
            return [.. _unshared.Keys.Select(id => _byId[id])];
        }
    }

    /// <summary><paramref name="silence"/> is in Redis: no longer pending, unless it changed again meanwhile.</summary>
    public void MarkShared(Silence silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        lock (_lock)
        {
            if (_unshared.TryGetValue(silence.Id, out var pending) && pending <= silence.UpdatedAt)
            {
                _unshared.Remove(silence.Id);
            }
        }
    }

    /// <summary>Forgets the silences ended more than <see cref="Silence.Retention"/> ago, here and in the file; how many.</summary>
    public int Prune()
    {
        var now = _time.GetUtcNow();
        if (!Array.Exists(_current, s => s.PastRetention(now)))
        {
            return 0;
        }

        lock (_lock)
        {
            var gone = _byId.Values.Where(s => s.PastRetention(now)).Select(s => s.Id).ToList();
            foreach (var id in gone)
            {
                _byId.Remove(id);
                _unshared.Remove(id);
            }

            _outbox.DeleteSilencesEndedBefore(now - Silence.Retention);
            Publish();
            SilenceLog.Pruned(_logger, gone.Count, Silence.Retention);
            return gone.Count;
        }
    }

    public static string Write(Silence silence) => JsonSerializer.Serialize(SilenceDocument.Stored(silence), SilenceJsonContext.Default.SilenceDocument);

    /// <summary>A stored silence's JSON read back, or null when it cannot be.</summary>
    public static Silence? Read(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, SilenceJsonContext.Default.SilenceDocument) is { } document ? SilenceValidator.FromStored(document) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Publish() =>
        _current = [.. _byId.Values.OrderByDescending(s => s.UpdatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)];
}
