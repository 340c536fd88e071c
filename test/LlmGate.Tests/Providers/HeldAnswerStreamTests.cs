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

    [Theory]
    [InlineData(null, 1)]
    [InlineData(600L, 1)]
    [InlineData(600L, 7)]
    [InlineData(10L, 1_000)]
    public void GetMemoryAndAdvance_ReadsStraightIntoTheBuffer_HeldInOrderAcrossGrowth(long? expectedLength, int readSize)
    {
        var expected = Enumerable.Range(0, 9_000).Select(i => (byte)(i * 13)).ToArray();
        using var held = new HeldAnswerStream(expectedLength);

        for (var offset = 0; offset < expected.Length;)
        {
            var free = held.GetMemory();
            Assert.False(free.IsEmpty);
            var count = Math.Min(Math.Min(readSize, free.Length), expected.Length - offset);
            expected.AsSpan(offset, count).CopyTo(free.Span);
            held.Advance(count);
            offset += count;
        }

        Assert.Equal(expected, held.Written.ToArray());
    }

    [Fact]
    public void GetMemory_ExpectedLength_FitsItWithRoomToSeeTheEnd()
    {
        using var held = new HeldAnswerStream(600);

        Assert.True(held.GetMemory().Length > 600);
    }

    [Fact]
    public void Advance_PastTheFreeSpace_Throws()
    {
        using var held = new HeldAnswerStream(10);

        Assert.Throws<ArgumentOutOfRangeException>(() => held.Advance(held.GetMemory().Length + 1));
    }
}
