using BenchmarkDotNet.Attributes;
using LlmGate.Calls;
using LlmGate.Proxy;
using LlmGate.Testing;

namespace LlmGate.Bench.Micro;

/// <summary>
/// A streamed answer's upstream reads as the relay makes them (a zero-byte read, then a read, per chunk; 20 chunks)
/// through <see cref="UpstreamBodyStream"/>: the stream and client timeouts' timer changes and the call's progress.
/// </summary>
[MemoryDiagnoser]
public class UpstreamBodyStreamBenchmarks
{
    // An upstream whose 20 chunks are always there, one per read: what is measured is the reading, not the waiting.
    private static readonly byte[] Chunk = "data: {\"choices\":[{\"delta\":{\"content\":\"token\"}}]}\n\n"u8.ToArray();
    private static readonly byte[] Answer = [.. Enumerable.Repeat(Chunk, 20).SelectMany(c => c)];
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(600);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly CallTracker _calls = new([], TimeProvider.System);

    [Benchmark]
    public async Task<int> TwentyChunks()
    {
        using var timeout = new CancellationTokenSource(StreamTimeout, TimeProvider.System);
        await using var body = new UpstreamBodyStream(new PiecewiseStream(Answer, Chunk.Length), timeout, StreamTimeout, _calls.Start(CallerIdentity.MasterKey), StallTimeout);
        var total = 0;
        while (true)
        {
            _ = await body.ReadAsync(Memory<byte>.Empty, timeout.Token);
            var read = await body.ReadAsync(_buffer, timeout.Token);
            if (read == 0)
            {
                return total;
            }

            total += read;
        }
    }
}
