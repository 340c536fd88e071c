namespace LlmGate.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void NullObserver_Start_ReturnsTracker() =>
        Assert.NotNull(LlmGate.Alerting.NullRequestObserver.Instance.Start("g", "d", "openai", stream: false));
}
