using LlmGate.Keys;

namespace LlmGate.Tests.Keys;

public sealed class RateCounterTests
{
    [Fact]
    public void Requests_AreRefusedPastTheLimitUntilTheNextMinute()
    {
        var counter = new RateCounter();
        var limits = new EntityLimits { RpmLimit = 2 };

        Assert.Null(counter.TryAcquire(limits, 100, out var remaining, out _));
        Assert.Equal(1, remaining);
        counter.Release(0, 100);
        Assert.Null(counter.TryAcquire(limits, 100, out remaining, out _));
        Assert.Equal(0, remaining);
        counter.Release(0, 100);
        Assert.Equal(RateLimitKind.Requests, counter.TryAcquire(limits, 100, out _, out _));

        Assert.Null(counter.TryAcquire(limits, 101, out _, out _));
    }

    [Fact]
    public void Tokens_CountWhenCallsEnd()
    {
        var counter = new RateCounter();
        var limits = new EntityLimits { TpmLimit = 100 };

        Assert.Null(counter.TryAcquire(limits, 7, out _, out var tokensLeft));
        Assert.Equal(100, tokensLeft);
        counter.Release(100, 7);

        Assert.Equal(RateLimitKind.Tokens, counter.TryAcquire(limits, 7, out _, out _));
    }

    [Fact]
    public void ParallelRequests_AreFreedWhenCallsEnd()
    {
        var counter = new RateCounter();
        var limits = new EntityLimits { MaxParallelRequests = 1 };

        Assert.Null(counter.TryAcquire(limits, 1, out _, out _));
        Assert.Equal(RateLimitKind.ParallelRequests, counter.TryAcquire(limits, 1, out _, out _));
        counter.Release(0, 1);
        Assert.Null(counter.TryAcquire(limits, 1, out _, out _));
    }
}
