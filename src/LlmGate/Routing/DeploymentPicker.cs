using LlmGate.Configuration;

namespace LlmGate.Routing;

/// <summary>
/// Chooses a deployment of a group for one attempt: never one cooling down or at its <c>rpm</c>; among the rest,
/// first those not tried yet by this request and able to be called, then by the routing strategy. No allocation.
/// </summary>
internal sealed class DeploymentPicker(RouterOptions options, ICooldownStore cooldowns, Random random)
{
    private volatile RouterOptions _options = options;

    /// <summary>Latency-based routing sends this share of requests to a random deployment, so averages stay fresh.</summary>
    public const double LatencyExploration = 0.1;

    /// <summary>Deployments past this index cannot be marked as tried; they may be retried like untried ones.</summary>
    public const int MaxTrackedDeployments = 64;

    private const int Unavailable = 0;
    private const int CannotBeCalled = 1;
    private const int Tried = 2;
    private const int Fresh = 3;

    /// <summary>A reloaded config's routing strategy and cooldown switch, for picks from now on.</summary>
    public void Reconfigure(RouterOptions reloaded) => _options = reloaded ?? throw new ArgumentNullException(nameof(reloaded));

    public RoutingStrategyKind Strategy => _options.RoutingStrategy;

    public static long MinuteOf(DateTimeOffset now) => now.UtcTicks / TimeSpan.TicksPerMinute;

    public static ulong MarkTried(ulong tried, int index) => index < MaxTrackedDeployments ? tried | (1UL << index) : tried;

    /// <param name="tried">Bit i set: deployment i was already tried by this request.</param>
    public PickResult Pick(ModelGroup group, ulong tried, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(group);
        var deployments = group.Deployments;
        var minute = MinuteOf(now);
        var best = Unavailable;
        var count = 0;
        DateTimeOffset? earliestCooldownEnd = null;
        var atRateLimit = 0;
        for (var i = 0; i < deployments.Count; i++)
        {
            var tier = Tier(deployments[i], i, tried, now, minute, ref earliestCooldownEnd, ref atRateLimit);
            if (tier > best)
            {
                (best, count) = (tier, 1);
            }
            else if (tier == best)
            {
                count++;
            }
        }

        if (best == Unavailable)
        {
            return new PickResult(null, -1, earliestCooldownEnd, atRateLimit > 0 && earliestCooldownEnd is null);
        }

        var index = count == 1 ? FirstOfTier(group, best, tried, now, minute) : Choose(group, best, tried, now, minute);
        return new PickResult(deployments[index], index, null, false);
    }

    private int Tier(Deployment deployment, int index, ulong tried, DateTimeOffset now, long minute, ref DateTimeOffset? earliestCooldownEnd, ref int atRateLimit)
    {
        if (!_options.DisableCooldowns && cooldowns.CoolingDownUntil(deployment.Id, now) is { } until)
        {
            earliestCooldownEnd = earliestCooldownEnd is { } earliest && earliest < until ? earliest : until;
            return Unavailable;
        }

        if (deployment.Config.Rpm is { } rpm && deployment.Load.RequestsInMinute(minute) >= rpm)
        {
            atRateLimit++;
            return Unavailable;
        }

        if (deployment.UnusableReason is not null)
        {
            return CannotBeCalled;
        }

        return index < MaxTrackedDeployments && (tried & (1UL << index)) != 0 ? Tried : Fresh;
    }

    private int TierOf(ModelGroup group, int index, ulong tried, DateTimeOffset now, long minute)
    {
        DateTimeOffset? ignoredEnd = null;
        var ignoredLimit = 0;
        return Tier(group.Deployments[index], index, tried, now, minute, ref ignoredEnd, ref ignoredLimit);
    }

    private int FirstOfTier(ModelGroup group, int tier, ulong tried, DateTimeOffset now, long minute)
    {
        for (var i = 0; i < group.Deployments.Count; i++)
        {
            if (TierOf(group, i, tried, now, minute) == tier)
            {
                return i;
            }
        }

        throw new InvalidOperationException("unreachable: the tier was counted");
    }

    private int Choose(ModelGroup group, int tier, ulong tried, DateTimeOffset now, long minute) => _options.RoutingStrategy switch
    {
        RoutingStrategyKind.LeastBusy => LeastBusy(group, tier, tried, now, minute),
        RoutingStrategyKind.LatencyBased when random.NextDouble() >= LatencyExploration => LowestLatency(group, tier, tried, now, minute),
        RoutingStrategyKind.LatencyBased => Uniform(group, tier, tried, now, minute),
        _ => Weighted(group, tier, tried, now, minute),
    };

    private int Weighted(ModelGroup group, int tier, ulong tried, DateTimeOffset now, long minute)
    {
        var total = 0d;
        for (var i = 0; i < group.Deployments.Count; i++)
        {
            if (TierOf(group, i, tried, now, minute) == tier)
            {
                total += group.Weights[i];
            }
        }

        if (total <= 0)
        {
            return Uniform(group, tier, tried, now, minute);
        }

        var point = random.NextDouble() * total;
        var last = -1;
        for (var i = 0; i < group.Deployments.Count; i++)
        {
            if (TierOf(group, i, tried, now, minute) != tier)
            {
                continue;
            }

            last = i;
            point -= group.Weights[i];
            if (point < 0)
            {
                return i;
            }
        }

        return last;
    }

    // Reservoir sampling over the candidates: each equally likely, in one pass.
    private int Uniform(ModelGroup group, int tier, ulong tried, DateTimeOffset now, long minute)
    {
        var chosen = -1;
        var seen = 0;
        for (var i = 0; i < group.Deployments.Count; i++)
        {
            if (TierOf(group, i, tried, now, minute) == tier && random.Next(++seen) == 0)
            {
                chosen = i;
            }
        }

        return chosen;
    }

    // Fewest in flight; ties broken at random so equal deployments share the load.
    private int LeastBusy(ModelGroup group, int tier, ulong tried, DateTimeOffset now, long minute)
    {
        var chosen = -1;
        var fewest = int.MaxValue;
        var ties = 0;
        for (var i = 0; i < group.Deployments.Count; i++)
        {
            if (TierOf(group, i, tried, now, minute) != tier)
            {
                continue;
            }

            var inFlight = group.Deployments[i].Load.InFlight;
            if (inFlight < fewest)
            {
                (chosen, fewest, ties) = (i, inFlight, 1);
            }
            else if (inFlight == fewest && random.Next(++ties) == 0)
            {
                chosen = i;
            }
        }

        return chosen;
    }

    // A deployment without a sample yet is measured first; otherwise the lowest moving average wins.
    private int LowestLatency(ModelGroup group, int tier, ulong tried, DateTimeOffset now, long minute)
    {
        var chosen = -1;
        var lowest = double.MaxValue;
        for (var i = 0; i < group.Deployments.Count; i++)
        {
            if (TierOf(group, i, tried, now, minute) != tier)
            {
                continue;
            }

            var latency = group.Deployments[i].Load.LatencyMs;
            if (latency < 0)
            {
                return i;
            }

            if (latency < lowest)
            {
                (chosen, lowest) = (i, latency);
            }
        }

        return chosen;
    }
}
