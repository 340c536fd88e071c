using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Silences;

/// <summary>
/// Creates, updates and expires silences as Alertmanager does: a post with the <c>id</c> of a pending or active silence
/// updates it in place; with the id of an expired one it creates a new silence (the expired one stays, for audit); an
/// unknown id is refused. Logs each change (never the comment).
/// </summary>
internal sealed class SilenceEditor(SilenceStore store, TimeProvider time, ILogger<SilenceEditor> logger)
{
    public SilenceStore Store => store;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The silence stored, or null with <paramref name="notFound"/> or <paramref name="error"/> saying why not.</summary>
    public Silence? Post(SilenceDocument document, out bool notFound, out string error)
    {
        ArgumentNullException.ThrowIfNull(document);
        notFound = false;
        var now = time.GetUtcNow();
        Silence? existing = null;
        if (!string.IsNullOrEmpty(document.Id))
        {
            existing = store.Find(document.Id);
            if (existing is null)
            {
                notFound = true;
                error = $"silence {document.Id} not found";
                return null;
            }
        }

        var updating = existing is not null && existing.StateAt(now) != SilenceState.Expired;
        var id = updating ? existing!.Id : Guid.NewGuid().ToString();
        if (SilenceValidator.TryBuild(document, id, now, out error) is not { } silence)
        {
            return null;
        }

        store.Put(silence);
        var matchers = string.Join(",", silence.Matchers);
        if (updating)
        {
            SilenceLog.Updated(logger, silence.Id, silence.CreatedBy, matchers, silence.StartsAt, silence.EndsAt);
        }
        else
        {
            SilenceLog.Created(logger, silence.Id, silence.CreatedBy, matchers, silence.StartsAt, silence.EndsAt);
        }

        return silence;
    }

    /// <summary>Ends the silence now; null when unknown.</summary>
    public Silence? Expire(string id)
    {
        var expired = store.Expire(id);
        if (expired is not null)
        {
            SilenceLog.Expired(logger, id, expired.EndsAt + Silence.Retention);
        }

        return expired;
    }
}
