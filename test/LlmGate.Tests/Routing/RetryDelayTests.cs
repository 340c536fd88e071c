using LlmGate.Routing;

namespace LlmGate.Tests.Routing;

public sealed class RetryDelayTests
{
    [Theory]
    [InlineData(1, 0.5, 500)]
    [InlineData(2, 0.5, 1000)]
    [InlineData(3, 0.0, 1600)]
    [InlineData(3, 1.0, 2400)]
    [InlineData(10, 0.5, 8000)]
    public void SameDeployment_NoRetryAfter_DoublesWithJitterUpToTheCap(int retry, double random, double expectedMs)
    {
        var wait = RetryDelay.SameDeployment(retry, null, TimeSpan.Zero, random);

        Assert.Equal(expectedMs, wait!.Value.TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void SameDeployment_RetryAfter_IsHonouredExactly()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryDelay.SameDeployment(1, TimeSpan.FromSeconds(7), TimeSpan.Zero, 0.5));
    }

    [Fact]
    public void SameDeployment_RetryAfterOverAMinute_GivesUp()
    {
        Assert.Null(RetryDelay.SameDeployment(1, TimeSpan.FromSeconds(61), TimeSpan.Zero, 0.5));
    }

    [Fact]
    public void SameDeployment_RetryAfterSetting_IsTheMinimum()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), RetryDelay.SameDeployment(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), 0.5));
        Assert.Equal(TimeSpan.FromSeconds(3), RetryDelay.SameDeployment(1, null, TimeSpan.FromSeconds(3), 0.5));
    }
}
