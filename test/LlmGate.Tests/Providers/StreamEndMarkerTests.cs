using System.Text;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class StreamEndMarkerTests
{
    [Theory]
    [InlineData(true, "data: {}\n\ndata: [DONE]\n\n")]
    [InlineData(true, "data: {}\n\ndata: [DO", "NE]\r\n\r\n")]
    [InlineData(true, "data: {}\n\ndata: [DONE]", "\n", "\n")]
    [InlineData(true, "data: [", "D", "O", "N", "E", "]", "\n\n")]
    [InlineData(false, "data: {}\n\n")]
    [InlineData(false, "data: [DONE]\n\ndata: {}\n\n")]
    [InlineData(false, "data: {\"content\":\"[DONE\"}", "\n\n")]
    [InlineData(false)]
    public void EndsWithDone_OnlyWhenTheLastBytesThatAreNotWhitespaceAreDone(bool expected, params string[] reads)
    {
        var marker = default(StreamEndMarker);
        foreach (var read in reads)
        {
            marker.Add(Encoding.UTF8.GetBytes(read));
        }

        Assert.Equal(expected, marker.EndsWithDone);
    }
}
