using LlmGate.Calls;

namespace LlmGate.Keys;

/// <summary>
/// What a keyed call holds until it ends: the cost reserved against the key's (and its team's or user's) budget and
/// a slot in each rate counter it was counted in. Settling releases both and records the real cost and tokens.
/// </summary>
internal sealed class KeyCharge(CachedKey key, double reserved, bool keyRateCounted, bool teamRateCounted, SpendLedger ledger, TimeProvider time) : ICallCharge
{
    public CachedKey Key { get; } = key;

    public void Settle(CallContext call)
    {
        var cost = call.Cost ?? 0;
        var now = time.GetUtcNow();
        Charge(Key, cost, now);
        if (Key.Team is { } team)
        {
            Charge(team, cost, now);
        }
        else if (Key.User is { } user)
        {
            Charge(user, cost, now);
        }

        var tokens = call.Usage?.TotalTokens ?? 0;
        var minute = RateMinute.Of(now);
        if (keyRateCounted)
        {
            Key.Rate.Release(tokens, minute);
        }

        if (teamRateCounted)
        {
            Key.Team!.Rate.Release(tokens, minute);
        }

        ledger.Settled(Key, cost);
    }

    private void Charge(CachedEntity entity, double cost, DateTimeOffset now)
    {
        if (entity.Budget.Settle(reserved, cost, entity.Policy.Duration, now))
        {
            ledger.Queue(entity.Budget);
        }
    }
}
