using LlmGate.Calls;

namespace LlmGate.Proxy;

/// <summary>
/// The upstream's response body as adapters read it: for a stream (<c>chunkTimeout</c> set), each read re-arms the
/// stream timeout (the longest wait for the next chunk) and each chunk that arrives is reported on the call as progress.
/// </summary>
internal sealed class UpstreamBodyStream(Stream inner, CancellationTokenSource timeoutSource, TimeSpan? chunkTimeout, CallContext call) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (chunkTimeout is { } timeout)
        {
            timeoutSource.CancelAfter(timeout);
        }

        var read = await inner.ReadAsync(buffer, cancellationToken);
        if (read > 0 && chunkTimeout is not null)
        {
            // A stream's chunks are its progress; a plain answer's body is one answer, already announced by its headers.
            call.Progress();
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Upstream bodies are read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
