using System.Globalization;
using LlmGate.Calls;

namespace LlmGate.Tests.Calls;

public sealed class CallIdsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 14, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void New_IsAVersion7UuidWhoseFirst48BitsAreItsMilliseconds()
    {
        var id = CallIds.New(Now);

        var guid = Guid.ParseExact(id, "D");
        Assert.Equal(7, guid.Version);
        Assert.Equal(0b10, guid.Variant >> 2);
        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString("x12", CultureInfo.InvariantCulture), id.Replace("-", "", StringComparison.Ordinal)[..12]);
    }

    [Fact]
    public void New_ManyInOneMillisecondOnSeveralThreads_AllDifferent()
    {
        var ids = new string[4][];
        Parallel.For(0, ids.Length, t => ids[t] = [.. Enumerable.Range(0, 25_000).Select(_ => CallIds.New(Now))]);

        Assert.Equal(100_000, ids.SelectMany(i => i).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void New_OneMillisecondLater_SortsAfter()
    {
        var earlier = CallIds.New(Now);
        var later = CallIds.New(Now.AddMilliseconds(1));

        Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} should sort before {later}");
    }
}
