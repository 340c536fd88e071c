using System.Buffers;

namespace LlmGate.Providers;

/// <summary>
/// Where a plain answer is held until it is complete (so its cost can go in its headers): written into pooled
/// buffers, read back as one span, returned to the pool on dispose.
/// </summary>
internal sealed class HeldAnswerStream : Stream
{
    private const int DefaultCapacity = 4096;

    // An upstream's Content-Length is taken as a size hint up to this much; a longer answer grows as it arrives.
    private const int MaxInitialCapacity = 1024 * 1024;

    private byte[] _buffer;
    private int _length;

    /// <param name="expectedLength">The answer's Content-Length when the upstream sent one: the buffer is rented to fit it
    /// (and one byte more, so the read that finds the end needs no growth), not 4 KB and doubled.</param>
    public HeldAnswerStream(long? expectedLength = null) =>
        _buffer = ArrayPool<byte>.Shared.Rent(expectedLength is { } length and >= 0 ? (int)Math.Min(length + 1, MaxInitialCapacity) : DefaultCapacity);

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Reserve(buffer.Length);
        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    /// <summary>
    /// The free space after what is held, at least <paramref name="sizeHint"/> bytes (1 if less), for a read straight into
    /// the held buffer; <see cref="Advance"/> then keeps what the read filled in.
    /// </summary>
    public Memory<byte> GetMemory(int sizeHint = 1)
    {
        Reserve(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_length);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        _length += count;
    }

    private void Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }

        base.Dispose(disposing);
    }
}
