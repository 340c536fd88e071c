using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class FinishReasonReaderTests
{
    [Theory]
    [InlineData("""{"choices":[{"index":0,"message":{},"finish_reason":"stop"}]}""", "stop")]
    [InlineData("""{"choices":[{"finish_reason" : "length"}]}""", "length")]
    [InlineData("data: {\"choices\":[{\"delta\":{},\"finish_reason\":null}]}\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n", "tool_calls")]
    [InlineData("""{"choices":[{"finish_reason":"eos_token"}]}""", "eos_token")]
    public void Last_FindsTheLastReasonGiven(string json, string expected)
    {
        Assert.Equal(expected, FinishReasonReader.Last(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Last_NullOrNoKey_KeepsThePreviousReason()
    {
        Assert.Equal("stop", FinishReasonReader.Last("""{"choices":[{"delta":{"content":"x"},"finish_reason":null}]}"""u8, "stop"));
        Assert.Null(FinishReasonReader.Last("""{"object":"embedding","data":[]}"""u8));
    }

    [Fact]
    public void Last_KnownReasons_AreTheSameStringEachTime()
    {
        var first = FinishReasonReader.Last("""{"finish_reason":"stop"}"""u8);

        Assert.Same(first, FinishReasonReader.Last("""{"finish_reason":"stop"}"""u8));
    }
}
