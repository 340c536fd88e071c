using System.Globalization;
using LlmGate.Calls;

namespace LlmGate.Keys;

/// <summary>
/// What a keyed call holds until it ends: the cost reserved against the key's (and its team's or user's) budget and
/// a slot in each rate counter it was counted in. Settling releases both and records the real cost and tokens.
/// </summary>
internal sealed class KeyCharge(KeyAdmission admission, CallPricing pricing, CachedKey key, double reserved, double spendBefore, SharedReservation reservation, RateSlot keySlot, RateSlot teamSlot, SpendLedger ledger, TimeProvider time) : ICallCharge
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

        // Tokens count in the minute the call ended in, as LiteLLM's post-call hook counts them.
        var tokens = call.Usage?.TotalTokens ?? 0;
        var minute = RateMinute.Of(now);
        admission.ReleaseSlot(Key, keySlot, minute, tokens);
        if (Key.Team is { } owner)
        {
            admission.ReleaseSlot(owner, teamSlot, minute, tokens);
        }

        admission.ReleaseShared(Key, reservation, cost);
        ledger.Settled(Key, cost);
    }

    public IEnumerable<KeyValuePair<string, string>> AnswerHeaders(CallContext call)
    {
        var cost = call.Cost ??= pricing.CostOf(call);
        if (cost is not { } known)
        {
            return [];
        }

        // LiteLLM's newer builds: the key's spend including this call.
        return
        [
            new("x-litellm-response-cost", known.ToString(CultureInfo.InvariantCulture)),
            new("x-litellm-key-spend", (spendBefore + known).ToString(CultureInfo.InvariantCulture)),
        ];
    }

    private void Charge(CachedEntity entity, double cost, DateTimeOffset now)
    {
        if (entity.Budget.Settle(reserved, cost, entity.Policy.Duration, now))
        {
            ledger.Queue(entity.Budget);
        }
    }
}
