using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmGate.Observability.Logging;

/// <summary>
/// One thread's buffer for building a JSON log line: the bytes, their writer and the scope ids, kept between lines
/// (a line of ordinary size allocates nothing but its text). A line written while another is being built on the same
/// thread (a value's <c>ToString</c> that logs) gets a buffer of its own.
/// </summary>
internal sealed class JsonLogBuffer
{
    // A line this large is rare: its buffer is let go rather than kept for the thread's life.
    private const int MaxRetainedBytes = 64 * 1024;

    // Readable logs: no \u escapes for non-ASCII or HTML characters. Control characters and line breaks are still
    // escaped, so a value can never break the one-object-per-line shape.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static JsonLogBuffer? _cached;

    private readonly ArrayBufferWriter<byte> _bytes = new(1024);

    private JsonLogBuffer() => Writer = new Utf8JsonWriter(_bytes, WriterOptions);

    public Utf8JsonWriter Writer { get; }

    public LogScopeFields Scopes { get; } = new();

    public static JsonLogBuffer Rent()
    {
        var buffer = _cached ?? new JsonLogBuffer();
        _cached = null;
        return buffer;
    }

    public static void Return(JsonLogBuffer buffer)
    {
        if (buffer._bytes.Capacity > MaxRetainedBytes)
        {
            return;
        }

        buffer._bytes.ResetWrittenCount();
        buffer.Writer.Reset(buffer._bytes);
        buffer.Scopes.Clear();
        _cached = buffer;
    }

    /// <summary>Writes the finished object as one line.</summary>
    public void WriteLineTo(TextWriter text)
    {
        Writer.Flush();
        var bytes = _bytes.WrittenSpan;
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(bytes.Length));
        try
        {
            var count = Encoding.UTF8.GetChars(bytes, chars);
            text.Write(chars, 0, count);
            text.Write(Environment.NewLine);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
