using LlmGate.Calls;

namespace LlmGate.Proxy;

/// <summary>
/// The upstream's response body as adapters read it: for a stream (<c>chunkTimeout</c> set), each read re-arms the
/// stream timeout (the longest wait for the next chunk) and each chunk that arrives is reported on the call as progress.
/// Between reads the relay is writing to the client, so there the same timer measures the client instead
/// (<c>clientStallTimeout</c>, <see cref="ClientStallLimit"/>): a slow client is never blamed on the upstream, and one that takes nothing
/// for that long is told apart by <see cref="ClientStalled"/>.
/// </summary>
/// <remarks>
/// A stream's reads move a deadline rather than re-arm a timer: a zero-byte read and a read per chunk, each with a
/// deadline before and after, were four timer changes per chunk (the runtime's timer queue takes a lock and relinks
/// its list each time). The one timer is re-armed only when a deadline comes earlier than it is set for, and when it
/// fires before the deadline it is set for the rest, so a healthy stream arms it about once per timeout.
/// </remarks>
internal sealed class UpstreamBodyStream : Stream
{
    // Timers take at most about 49 days; a longer timeout is as good as none.
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(40);

    private readonly Stream _inner;
    private readonly CancellationTokenSource _timeoutSource;
    private readonly TimeSpan? _chunkTimeout;
    private readonly TimeSpan _clientStallTimeout;
    private readonly CallContext _call;
    private readonly TimeProvider _time;
    private readonly Lock _deadlineLock = new();
    private ITimer? _timer;
    private long _deadline; // timestamps of _time
    private long _armedFor = long.MaxValue;
    private volatile bool _waitingOnClient;

    public UpstreamBodyStream(
        Stream inner, CancellationTokenSource timeoutSource, TimeSpan? chunkTimeout, CallContext call, TimeProvider time, TimeSpan? clientStallTimeout = null)
    {
        _inner = inner;
        _timeoutSource = timeoutSource;
        _chunkTimeout = chunkTimeout;
        _clientStallTimeout = clientStallTimeout ?? ClientStallLimit.Default.Timeout;
        _call = call;
        _time = time;
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

        _waitingOnClient = false;
        MoveDeadline(timeout);
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            // A stream's chunks are its progress; a plain answer's body is one answer, already announced by its headers.
            _call.Progress();
        }

        _waitingOnClient = true;
        MoveDeadline(_clientStallTimeout);
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
            _timer?.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void MoveDeadline(TimeSpan wait)
    {
        var deadline = Later(_time.GetTimestamp(), wait);
        lock (_deadlineLock)
        {
            _deadline = deadline;
            if (deadline >= _armedFor || wait >= MaxWait)
            {
                return; // the timer fires first and looks again, or there is no deadline
            }

            if (_timer is null)
            {
                // The attempt's own timer (the total timeout until the body was handed over) gives way to this one.
                _timeoutSource.CancelAfter(Timeout.InfiniteTimeSpan);
                _timer = _time.CreateTimer(static state => ((UpstreamBodyStream)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            _armedFor = deadline;
            _timer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        lock (_deadlineLock)
        {
            var remaining = _deadline - _time.GetTimestamp();
            if (remaining > 0)
            {
                _armedFor = _deadline;
                // Rounded up to a whole millisecond, the timer's own resolution, so that it never fires just short again.
                var wait = TimeSpan.FromMilliseconds(Math.Ceiling(remaining * 1000.0 / _time.TimestampFrequency));
                _timer!.Change(wait < MaxWait ? wait : MaxWait, Timeout.InfiniteTimeSpan);
                return;
            }

            _armedFor = long.MaxValue;
        }

        try
        {
            _timeoutSource.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The relay ended and released the attempt as the timer fired: nothing left to cut.
        }
    }

    private long Later(long timestamp, TimeSpan wait) =>
        wait >= MaxWait ? long.MaxValue : timestamp + (long)(wait.TotalSeconds * _time.TimestampFrequency);
}
