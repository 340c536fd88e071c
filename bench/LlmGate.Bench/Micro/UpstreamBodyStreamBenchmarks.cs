using BenchmarkDotNet.Attributes;
using LlmGate.Calls;
using LlmGate.Proxy;

namespace LlmGate.Bench.Micro;

/// <summary>
/// A streamed answer's upstream reads as the relay makes them (a zero-byte read, then a read, per chunk; 20 chunks)
/// through <see cref="UpstreamBodyStream"/>: the stream and client timeouts' timer changes and the call's progress.
/// </summary>
[MemoryDiagnoser]
public class UpstreamBodyStreamBenchmarks
{
    private const int Chunks = 20;
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(600);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly CallTracker _calls = new([], TimeProvider.System);

    [Benchmark]
    public async Task<int> TwentyChunks()
    {
        using var timeout = new CancellationTokenSource(StreamTimeout, TimeProvider.System);
        await using var body = new UpstreamBodyStream(new ChunkStream(Chunks), timeout, StreamTimeout, _calls.Start(CallerIdentity.MasterKey), StallTimeout);
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

    // An upstream whose chunks are always there: what is measured is the reading, not the waiting.
    private sealed class ChunkStream(int chunks) : Stream
    {
        private static readonly byte[] Chunk = "data: {\"choices\":[{\"delta\":{\"content\":\"token\"}}]}\n\n"u8.ToArray();
        private int _left = chunks;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty || _left == 0)
            {
                return ValueTask.FromResult(0);
            }

            _left--;
            Chunk.CopyTo(buffer);
            return ValueTask.FromResult(Chunk.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
