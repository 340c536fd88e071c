using LlmGate.Calls;

namespace LlmGate.Keys;

/// <summary>A virtual key as this gateway holds it, with the team or user whose budget and limits also apply to it.</summary>
internal sealed class CachedKey : CachedEntity
{
    private VirtualKey _record;

    public CachedKey(VirtualKey record, CachedEntity? team, CachedEntity? user)
        : base(SpendEntityKind.Key, record.Token, EntityPolicy.Of(record.Limits, record.Models, record.Blocked))
    {
        _record = record;
        Team = team;
        User = user;
        Budget.Load(record.Spend, record.Limits.BudgetResetAt);
        Identity = new CallerIdentity(CallerKind.VirtualKey, record.Token, record.KeyAlias, record.TeamId, record.UserId, Team?.Policy.Alias);
        Caller = new KeyCaller(this);
    }

    /// <summary>Who the caller is, made once per key rather than per request.</summary>
    public CallerIdentity Identity { get; private set; }

    public KeyCaller Caller { get; }

    /// <summary>True when this key, its team or its user was changed here and must be reread before use.</summary>
    public bool NeedsRefresh => IsStale || Team?.IsStale == true || User?.IsStale == true;

    public VirtualKey Record
    {
        get => Volatile.Read(ref _record);
        private set => Volatile.Write(ref _record, value);
    }

    /// <summary>The key's team, when it has one that exists.</summary>
    public CachedEntity? Team { get; }

    /// <summary>The key's user, when the key has no team (LiteLLM checks a personal budget only then) and the user exists.</summary>
    public CachedEntity? User { get; }

    /// <summary>How the key is named in messages: its alias and abbreviated form, never the key.</summary>
    public string DisplayName => Record.KeyAlias is { Length: > 0 } alias ? $"{alias} ({Record.KeyName})" : Record.KeyName;

    public void Apply(VirtualKey record)
    {
        Record = record;
        Policy = EntityPolicy.Of(record.Limits, record.Models, record.Blocked);
        var identity = new CallerIdentity(CallerKind.VirtualKey, record.Token, record.KeyAlias, record.TeamId, record.UserId, Team?.Policy.Alias);
        // Kept when nothing in it changed (a reload after a spend write): metrics find a caller's series by this reference.
        if (identity != Identity)
        {
            Identity = identity;
        }
    }
}
