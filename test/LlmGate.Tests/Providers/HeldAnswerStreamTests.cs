using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class HeldAnswerStreamTests
{
    [Fact]
    public async Task Writes_AreHeldInOrderAcrossGrowth()
    {
        var expected = Enumerable.Range(0, 20_000).Select(i => (byte)(i * 7)).ToArray();
        using var held = new HeldAnswerStream();

        for (var offset = 0; offset < expected.Length; offset += 1_500)
        {
            await held.WriteAsync(expected.AsMemory(offset, Math.Min(1_500, expected.Length - offset)));
        }

        Assert.Equal(expected.Length, held.Length);
        Assert.Equal(expected, held.Written.ToArray());
    }
}
