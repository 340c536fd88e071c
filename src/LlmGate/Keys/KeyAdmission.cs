using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using LlmGate.Calls;
using LlmGate.OpenAi;
using LlmGate.Pricing;
using LlmGate.Proxy;
using LlmGate.Routing;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Keys;

/// <summary>
/// LiteLLM's checks on a virtual key once the model is known, in its order: model access (key, then team or user),
/// budgets (key, team, user), rate limits (key, team). Budgets hold under concurrency: each call reserves the most it
/// can cost before it goes, and is refused when that reservation would cross the budget; the reservation is replaced
/// by the real cost when the call ends. All in memory; the master key is never checked.
/// </summary>
internal sealed class KeyAdmission(
    IModelPrices prices, CallPricing pricing, SpendLedger ledger, TimeProvider time, SharedRateLimits? shared = null, SharedBudgets? sharedBudgets = null) : ICallAdmission
{
    private readonly ConditionalWeakTable<ModelGroup, StrongBox<ModelPrice?>> _groupPrices = [];

    public bool MayCall(HttpContext context, string model) =>
        context.Features.Get<KeyCaller>() is not { Key: var key } || ModelRefusal(key, model, model) is null;

    public ValueTask<AdmissionRefusal?> AdmitAsync(HttpContext context, CallContext call, ProxyEndpointKind kind, ReadOnlyMemory<byte> body, RequestSummary summary, ModelGroup group)
    {
        if (context.Features.Get<KeyCaller>() is not { Key: var key })
        {
            return ValueTask.FromResult<AdmissionRefusal?>(null);
        }

        return Admit(context, call, kind, body.Span, summary, group, key) switch
        {
            Pending pending => CountInAsync(context, call, pending),
            var decided => ValueTask.FromResult(decided as AdmissionRefusal),
        };
    }

    // Model access and budgets, synchronously in memory: a refusal, a call admitted (null), or one still to be counted in.
    private object? Admit(HttpContext context, CallContext call, ProxyEndpointKind kind, ReadOnlySpan<byte> body, RequestSummary summary, ModelGroup group, CachedKey key)
    {
        var model = summary.RequestedModel ?? group.Name;
        if (ModelRefusal(key, model, group.Name) is { } modelRefusal)
        {
            return modelRefusal;
        }

        var now = time.GetUtcNow();
        var price = PriceOf(group);
        var reserved = 0d;
        var budgeted = price is not { IsFree: true };
        if (budgeted && price is not null)
        {
            var media = MaxUnits(kind, body);
            var maxOutput = kind == ProxyEndpointKind.Embeddings || media is not null ? 0 : MaxOutputTokens(body, summary);
            reserved = CostCalculator.MaxCost(price, PromptTokenEstimate.FromUtf8Bytes(body.Length), maxOutput)
                + (media is null ? 0 : CostCalculator.UnitCost(price, media));
        }

        var owner = (CachedEntity?)key.Team ?? key.User;
        double keySpend = 0;
        if (budgeted)
        {
            if (!key.Budget.TryReserve(reserved, key.Policy.Limits.MaxBudget, key.Policy.Duration, now, out keySpend))
            {
                return BudgetRefusal($"Key={key.DisplayName}", keySpend, key.Policy.Limits.MaxBudget!.Value, reserved);
            }

            if (owner is not null && !owner.Budget.TryReserve(reserved, owner.Policy.Limits.MaxBudget, owner.Policy.Duration, now, out var ownerSpend))
            {
                key.Budget.Settle(reserved, 0, key.Policy.Duration, now);
                var name = owner.Kind == SpendEntityKind.Team ? $"Team={owner.Id}" : $"User={owner.Id}";
                return BudgetRefusal(name, ownerSpend, owner.Policy.Limits.MaxBudget!.Value, reserved);
            }
        }
        else
        {
            keySpend = key.Budget.Spend;
        }

        var minute = RateMinute.Of(now);
        var team = key.Team;
        var keyCounted = key.Policy.HasRateLimits;
        var teamCounted = team is not null && team.Policy.HasRateLimits;
        var sharesBudget = sharedBudgets is not null && budgeted
            && (key.Policy.Limits.MaxBudget is not null || owner?.Policy.Limits.MaxBudget is not null);
        if (!keyCounted && !teamCounted && !sharesBudget)
        {
            Admitted(context, call, key, budgeted ? reserved : 0, keySpend, SharedReservation.None, RateSlot.None, RateSlot.None, long.MaxValue, long.MaxValue);
            return null;
        }

        return new Pending(key, owner, budgeted, reserved, keySpend, minute, now);
    }

    // Budgets across replicas and rate limits, once budgets are reserved here: in Redis when it is configured and
    // answers, else in memory.
    private async ValueTask<AdmissionRefusal?> CountInAsync(HttpContext context, CallContext call, Pending pending)
    {
        var (key, owner, budgeted, reserved, keySpend, minute, now) = pending;
        var reservation = SharedReservation.None;
        if (sharedBudgets is not null && budgeted)
        {
            var member = SharedBudgets.Member(call.CallId, reserved);
            if (key.Policy.Limits.MaxBudget is { } keyMax && await sharedBudgets.TryReserveAsync(key, keyMax, reserved, member) is { } forKey)
            {
                if (!forKey.Reserved)
                {
                    Release(key, owner, budgeted, reserved, now);
                    return BudgetRefusal($"Key={key.DisplayName}", forKey.Spend, keyMax, reserved);
                }

                keySpend = Math.Max(keySpend, forKey.Spend);
                reservation = reservation with { Member = member, Key = true };
            }

            if (owner?.Policy.Limits.MaxBudget is { } ownerMax && await sharedBudgets.TryReserveAsync(owner, ownerMax, reserved, member) is { } forOwner)
            {
                if (!forOwner.Reserved)
                {
                    Release(key, owner, budgeted, reserved, now);
                    ReleaseShared(key, reservation, 0);
                    var name = owner.Kind == SpendEntityKind.Team ? $"Team={owner.Id}" : $"User={owner.Id}";
                    return BudgetRefusal(name, forOwner.Spend, ownerMax, reserved);
                }

                reservation = reservation with { Member = member, Owner = true };
            }
        }

        var (keySlot, keyLimit, remainingRequests, remainingTokens) = key.Policy.HasRateLimits
            ? await CountInAsync(key, key.Policy.Limits, minute)
            : (RateSlot.None, null, long.MaxValue, long.MaxValue);
        if (keyLimit is { } refusedKey)
        {
            Release(key, owner, budgeted, reserved, now);
            ReleaseShared(key, reservation, 0);
            return RateRefusal("api_key", key.Id, refusedKey, key.Policy.Limits, minute, now);
        }

        var team = key.Team;
        var (teamSlot, teamLimit, _, _) = team is not null && team.Policy.HasRateLimits
            ? await CountInAsync(team, team.Policy.Limits, minute)
            : (RateSlot.None, null, 0, 0);
        if (teamLimit is { } refusedTeam)
        {
            Release(key, owner, budgeted, reserved, now);
            ReleaseShared(key, reservation, 0);
            ReleaseSlot(key, keySlot, minute, 0);
            return RateRefusal("team", team!.Id, refusedTeam, team.Policy.Limits, minute, now);
        }

        Admitted(context, call, key, budgeted ? reserved : 0, keySpend, reservation, keySlot, teamSlot, remainingRequests, remainingTokens);
        return null;
    }

    /// <summary>Ends the call's reservations in Redis, counting <paramref name="cost"/> against the period's shared spend.</summary>
    public void ReleaseShared(CachedKey key, SharedReservation reservation, double cost)
    {
        if (reservation.Member is not { } member)
        {
            return;
        }

        if (reservation.Key)
        {
            sharedBudgets!.Settle(key, member, cost);
        }

        if (reservation.Owner && ((CachedEntity?)key.Team ?? key.User) is { } owner)
        {
            sharedBudgets!.Settle(owner, member, cost);
        }
    }

    private async ValueTask<(RateSlot Slot, RateLimitKind? Refused, long RemainingRequests, long RemainingTokens)> CountInAsync(CachedEntity entity, EntityLimits limits, long minute)
    {
        if (shared is not null && await shared.TryAcquireAsync(entity, limits, minute) is { } result)
        {
            return (RateSlot.Shared, result.Refused, result.RemainingRequests, result.RemainingTokens);
        }

        var refused = entity.Rate.TryAcquire(limits, minute, out var remainingRequests, out var remainingTokens);
        return (RateSlot.Memory, refused, remainingRequests, remainingTokens);
    }

    /// <summary>Frees a slot the call was counted in, where it was counted.</summary>
    public void ReleaseSlot(CachedEntity entity, RateSlot slot, long minute, long tokens)
    {
        switch (slot)
        {
            case RateSlot.Memory:
                entity.Rate.Release(tokens, minute);
                break;
            case RateSlot.Shared:
                shared!.Release(entity, minute, tokens, entity.Policy.Limits.MaxParallelRequests is not null);
                break;
        }
    }

    private void Admitted(
        HttpContext context, CallContext call, CachedKey key, double reserved, double keySpend, SharedReservation reservation, RateSlot keySlot, RateSlot teamSlot, long remainingRequests, long remainingTokens)
    {
        call.Charge = new KeyCharge(this, pricing, key, reserved, keySpend, reservation, keySlot, teamSlot, ledger, time);
        WriteHeaders(context.Response.Headers, key, call.Stream, keySpend, remainingRequests, remainingTokens);
    }

    private static void Release(CachedKey key, CachedEntity? owner, bool budgeted, double reserved, DateTimeOffset now)
    {
        if (!budgeted)
        {
            return;
        }

        key.Budget.Settle(reserved, 0, key.Policy.Duration, now);
        owner?.Budget.Settle(reserved, 0, owner.Policy.Duration, now);
    }

    private static AdmissionRefusal? ModelRefusal(CachedKey key, string model, string group)
    {
        var keyModels = key.Policy.Models;
        var teamModels = key.Team?.Policy.Models;
        if (!(keyModels.DefersToTeam ? teamModels ?? ModelAccess.All : keyModels).Allows(model) && !keyModels.Allows(group))
        {
            return AccessRefusal("key", keyModels.DefersToTeam && teamModels is not null ? teamModels : keyModels, model);
        }

        if (teamModels is not null && !teamModels.Allows(model) && !teamModels.Allows(group))
        {
            return AccessRefusal("team", teamModels, model);
        }

        if (key.User?.Policy.Models is { AllowsAll: false } userModels && !userModels.Allows(model) && !userModels.Allows(group))
        {
            return AccessRefusal("user", userModels, model);
        }

        return null;
    }

    // LiteLLM's _can_object_call_model message; the list is the caller's own configuration, not a secret.
    private static AdmissionRefusal AccessRefusal(string objectType, ModelAccess access, string model) => new(
        StatusCodes.Status403Forbidden,
        $"{objectType} not allowed to access model. This {objectType} can only access models=[{string.Join(", ", access.Listed.Select(m => $"'{m}'"))}]. Tried to access {model}",
        $"{objectType}_model_access_denied",
        "model");

    private static AdmissionRefusal BudgetRefusal(string who, double spend, double max, double reserved)
    {
        var message = $"Budget has been exceeded! {who} Current cost: {Money(spend)}, Max budget: {Money(max)}";
        if (spend < max)
        {
            // Not spent yet, but reserved: say why, or the numbers look wrong.
            message += $". This request could cost up to {Money(reserved)} (its max_tokens, or the model's output limit, at the model's price), "
                + "which with the calls in flight would cross the budget; a smaller max_tokens may fit.";
        }

        return new AdmissionRefusal(StatusCodes.Status429TooManyRequests, message, "budget_exceeded");
    }

    private static AdmissionRefusal RateRefusal(string descriptor, string value, RateLimitKind kind, EntityLimits limits, long minute, DateTimeOffset now)
    {
        var (type, limit) = kind switch
        {
            RateLimitKind.Requests => ("requests", limits.RpmLimit),
            RateLimitKind.Tokens => ("tokens", limits.TpmLimit),
            _ => ("max_parallel_requests", limits.MaxParallelRequests),
        };
        var resets = RateMinute.End(minute);
        var retryAfter = kind == RateLimitKind.ParallelRequests ? 1 : Math.Max(1, (long)Math.Ceiling((resets - now).TotalSeconds));
        return new AdmissionRefusal(
            StatusCodes.Status429TooManyRequests,
            $"Rate limit exceeded for {descriptor}: {value}. Limit type: {type}. Current limit: {limit}, Remaining: 0. Limit resets at: {resets.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC",
            "rate_limit_error",
            null,
            retryAfter);
    }

    // A plain answer's spend header is written with the answer (spend after the call); a stream's here (spend before it).
    private static void WriteHeaders(IHeaderDictionary headers, CachedKey key, bool stream, double spend, long remainingRequests, long remainingTokens)
    {
        var policy = key.Policy;
        if (stream)
        {
            headers["x-litellm-key-spend"] = Money(spend);
        }

        if (policy.MaxBudgetText is { } max)
        {
            headers["x-litellm-key-max-budget"] = max;
        }

        if (policy.RpmLimitText is { } rpm)
        {
            headers["x-litellm-key-rpm-limit"] = headers["x-ratelimit-limit-requests"] = rpm;
            headers["x-ratelimit-remaining-requests"] = remainingRequests.ToString(CultureInfo.InvariantCulture);
        }

        if (policy.TpmLimitText is { } tpm)
        {
            headers["x-litellm-key-tpm-limit"] = headers["x-ratelimit-limit-tokens"] = tpm;
            headers["x-ratelimit-remaining-tokens"] = remainingTokens.ToString(CultureInfo.InvariantCulture);
        }
    }

    // The dearest deployment of the group prices the reservation: the call may go to any of them.
    private ModelPrice? PriceOf(ModelGroup group) =>
        _groupPrices.GetValue(group, g =>
        {
            ModelPrice? dearest = null;
            foreach (var deployment in g.Deployments)
            {
                if (prices.For(deployment.Config) is not { } price)
                {
                    continue;
                }

                dearest = dearest is null ? price : dearest with
                {
                    InputCostPerToken = Math.Max(dearest.InputCostPerToken, price.InputCostPerToken),
                    OutputCostPerToken = Math.Max(dearest.OutputCostPerToken, price.OutputCostPerToken),
                    MaxOutputTokens = Max(dearest.MaxOutputTokens, price.MaxOutputTokens),
                    CostPerImage = Math.Max(dearest.CostPerImage, price.CostPerImage),
                    CostPerPixel = Math.Max(dearest.CostPerPixel, price.CostPerPixel),
                    InputCostPerCharacter = Math.Max(dearest.InputCostPerCharacter, price.InputCostPerCharacter),
                    InputCostPerQuery = Math.Max(dearest.InputCostPerQuery, price.InputCostPerQuery),
                    CostPerSecond = Math.Max(dearest.CostPerSecond, price.CostPerSecond),
                };
            }

            return new StrongBox<ModelPrice?>(dearest);
        }).Value;

    private sealed record Pending(CachedKey Key, CachedEntity? Owner, bool Budgeted, double Reserved, double KeySpend, long Minute, DateTimeOffset Now);

    // The most a media call's units can come to: n images (1 by default) at the request's size, every byte of the
    // body a character spoken, one rerank search unit. Null for calls priced by tokens only.
    private static TokenUsage? MaxUnits(ProxyEndpointKind kind, ReadOnlySpan<byte> body) => kind switch
    {
        ProxyEndpointKind.ImageGenerations => new TokenUsage(0, 0)
        {
            Images = MediaRequest.ImagesAsked(body),
            Pixels = MediaRequest.ImagesAsked(body) * MediaRequest.PixelsPerImage(body),
        },
        ProxyEndpointKind.AudioSpeech => new TokenUsage(0, 0) { Characters = body.Length },
        ProxyEndpointKind.Rerank => new TokenUsage(0, 0) { SearchUnits = 1 },
        // The audio's length is known only from the answer: nothing to reserve beyond the tokens.
        ProxyEndpointKind.Moderations or ProxyEndpointKind.AudioTranscriptions or ProxyEndpointKind.AudioTranslations => new TokenUsage(0, 0),
        _ => null,
    };

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static long? MaxOutputTokens(ReadOnlySpan<byte> body, RequestSummary summary)
    {
        foreach (var property in summary.Properties)
        {
            if ((property.NameIs(body, "max_tokens"u8) || property.NameIs(body, "max_completion_tokens"u8))
                && Utf8Parser.TryParse(body[property.ValueStart..property.End].Trim(" \t\r\n:"u8), out long tokens, out _) && tokens > 0)
            {
                return tokens;
            }
        }

        return null;
    }

    private static string Money(double amount) => amount.ToString(CultureInfo.InvariantCulture);
}
