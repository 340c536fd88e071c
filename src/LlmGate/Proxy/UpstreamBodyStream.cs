using LlmGate.Calls;

namespace LlmGate.Proxy;

/// <summary>
/// The upstream's response body as adapters read it: for a stream (<c>chunkTimeout</c> set), each read re-arms the
/// stream timeout (the longest wait for the next chunk) and each chunk that arrives is reported on the call as progress.
/// Between reads the relay is writing to the client, so there the same timer measures the client instead
/// (<c>clientStallTimeout</c>, <see cref="ClientStallLimit"/>): a slow client is never blamed on the upstream, and one that takes nothing
/// for that long is told apart by <see cref="ClientStalled"/>.
/// </summary>
internal sealed class UpstreamBodyStream : Stream
{
    private readonly Stream _inner;
    private readonly CancellationTokenSource _timeoutSource;
    private readonly TimeSpan? _chunkTimeout;
    private readonly TimeSpan _clientStallTimeout;
    private readonly CallContext _call;
    private volatile bool _waitingOnClient;
    private bool _armedForRead;

    public UpstreamBodyStream(Stream inner, CancellationTokenSource timeoutSource, TimeSpan? chunkTimeout, CallContext call, TimeSpan? clientStallTimeout = null)
    {
        _inner = inner;
        _timeoutSource = timeoutSource;
        _chunkTimeout = chunkTimeout;
        _clientStallTimeout = clientStallTimeout ?? ClientStallLimit.Default.Timeout;
        _call = call;
    }

    /// <summary>
    /// The timeout fired while the relay waited on the client, not on the upstream (only a stream's relay waits so). Read
    /// once the relay has stopped: a read started after the cut leaves the flag as it was.
    /// </summary>
    public bool ClientStalled => _waitingOnClient && _timeoutSource.IsCancellationRequested;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_chunkTimeout is not { } timeout)
        {
            return await _inner.ReadAsync(buffer, cancellationToken);
        }

        // Cut while the relay wrote to the client: this read fails at once, and the cut stays the client's.
        _timeoutSource.Token.ThrowIfCancellationRequested();

        if (!_armedForRead)
        {
            _waitingOnClient = false;
            _timeoutSource.CancelAfter(timeout);
        }

        var read = await _inner.ReadAsync(buffer, cancellationToken);
        if (buffer.IsEmpty)
        {
            // A zero-byte read waits for the next bytes without a buffer; the read that follows takes them at once, under
            // the same deadline. Re-arming the timer around both was four timer changes a chunk instead of two.
            _armedForRead = true;
            return read;
        }

        _armedForRead = false;
        if (read > 0)
        {
            // A stream's chunks are its progress; a plain answer's body is one answer, already announced by its headers.
            _call.Progress();
        }

        _waitingOnClient = true;
        _timeoutSource.CancelAfter(_clientStallTimeout);
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
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
