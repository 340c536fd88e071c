using System.IO.Pipelines;
using LlmGate.Calls;
using LlmGate.Proxy;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Proxy;

public sealed class UpstreamBodyStreamTests
{
    private static readonly TimeSpan ChunkTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly Pipe _upstream = new();

    [Fact]
    public async Task ChunksInTime_ManyReads_NeverCut()
    {
        using var timeout = new CancellationTokenSource(ChunkTimeout, _time);
        await using var body = Body(timeout, ChunkTimeout);

        for (var i = 0; i < 200; i++)
        {
            var read = ReadAsync(body, timeout);
            _time.Advance(TimeSpan.FromSeconds(9)); // the upstream is slow, but within stream_timeout
            await SendAsync("data: {}\n\n");
            Assert.Equal(10, await read);
            _time.Advance(TimeSpan.FromSeconds(29)); // the client is slow, but within the stall limit
        }

        Assert.False(timeout.IsCancellationRequested);
    }

    [Fact]
    public async Task NextChunkLate_CutAtTheStreamTimeoutFromTheRead_TheUpstreamsFault()
    {
        using var timeout = new CancellationTokenSource(ChunkTimeout, _time);
        await using var body = Body(timeout, ChunkTimeout);
        await FirstChunkAsync(body, timeout);
        _time.Advance(TimeSpan.FromSeconds(20)); // the client takes its time: the upstream's clock has not started

        var late = ReadAsync(body, timeout);
        _time.Advance(ChunkTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(late.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => late);
        Assert.False(body.ClientStalled);
    }

    [Fact]
    public async Task ClientTakesNothing_CutAtTheStallLimitThoughTheStreamTimeoutIsLonger_TheClientsFault()
    {
        var streamTimeout = TimeSpan.FromSeconds(600);
        using var timeout = new CancellationTokenSource(streamTimeout, _time);
        await using var body = Body(timeout, streamTimeout);
        await FirstChunkAsync(body, timeout);

        _time.Advance(StallTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(timeout.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(timeout.IsCancellationRequested);
        Assert.True(body.ClientStalled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadAsync(body, timeout));
    }

    [Fact]
    public async Task ZeroByteReadThenRead_AsTheRelayReads_UpstreamAndClientEachGetTheirOwnLimit()
    {
        using var timeout = new CancellationTokenSource(ChunkTimeout, _time);
        await using var body = Body(timeout, ChunkTimeout);
        for (var i = 0; i < 3; i++)
        {
            var wait = body.ReadAsync(Memory<byte>.Empty, timeout.Token).AsTask();
            _time.Advance(ChunkTimeout - TimeSpan.FromMilliseconds(1));
            await SendAsync("data: 1\n\n");
            Assert.Equal(0, await wait);
            Assert.Equal(9, await ReadAsync(body, timeout)); // under the zero-byte read's deadline: the bytes are there
            _time.Advance(StallTimeout - TimeSpan.FromMilliseconds(1));
        }

        Assert.False(timeout.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(body.ClientStalled);
    }

    [Fact]
    public async Task ZeroByteRead_UpstreamLate_CutAsTheUpstreams()
    {
        using var timeout = new CancellationTokenSource(ChunkTimeout, _time);
        await using var body = Body(timeout, ChunkTimeout);
        await FirstChunkAsync(body, timeout);

        var wait = body.ReadAsync(Memory<byte>.Empty, timeout.Token).AsTask();
        _time.Advance(ChunkTimeout);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.False(body.ClientStalled);
    }

    [Fact]
    public async Task AttemptsOwnTimeout_GivesWayToTheFirstReadsDeadline()
    {
        using var timeout = new CancellationTokenSource(ChunkTimeout, _time); // armed when the request was sent
        await using var body = Body(timeout, ChunkTimeout);
        _time.Advance(TimeSpan.FromSeconds(6)); // headers came after 6 s

        var read = ReadAsync(body, timeout);
        _time.Advance(TimeSpan.FromSeconds(6)); // 12 s after the send, 6 s after the read began
        Assert.False(timeout.IsCancellationRequested);
        await SendAsync("data: 1\n\n");
        Assert.Equal(9, await read);
    }

    [Fact]
    public async Task PlainAnswer_ReadsDoNotTouchTheTotalTimeout()
    {
        using var timeout = new CancellationTokenSource(ChunkTimeout, _time);
        await using var body = Body(timeout, chunkTimeout: null);
        var read = ReadAsync(body, timeout);
        await SendAsync("{}");
        await read;

        _time.Advance(ChunkTimeout);
        Assert.True(timeout.IsCancellationRequested); // the total, from the send
        Assert.False(body.ClientStalled);
    }

    private UpstreamBodyStream Body(CancellationTokenSource timeout, TimeSpan? chunkTimeout) =>
        new(_upstream.Reader.AsStream(), timeout, chunkTimeout, new CallTracker([], _time).Start(CallerIdentity.MasterKey), StallTimeout);

    private static Task<int> ReadAsync(UpstreamBodyStream body, CancellationTokenSource timeout) =>
        body.ReadAsync(new byte[64], timeout.Token).AsTask();

    private async Task FirstChunkAsync(UpstreamBodyStream body, CancellationTokenSource timeout)
    {
        var read = ReadAsync(body, timeout);
        await SendAsync("data: 1\n\n");
        Assert.Equal(9, await read);
    }

    private async Task SendAsync(string text)
    {
        await _upstream.Writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
