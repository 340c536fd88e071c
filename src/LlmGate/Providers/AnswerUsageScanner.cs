using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers;

/// <summary>
/// Finds <c>usage</c> in a plain (not streamed) OpenAI-shaped answer as its reads pass through: a vectorised search for
/// <c>"usage"</c> in each read, and a JSON read of that object only. The body is neither held nor tokenised, so an
/// embeddings answer of megabytes costs a memory scan. A body without usage, or not JSON, leaves <see cref="Usage"/> null.
/// </summary>
internal sealed class AnswerUsageScanner
{
    // Far more than any usage object; a "usage" whose object is longer is not OpenAI's and is given up.
    private const int MaxFragment = 4096;

    private readonly byte[] _tail = new byte[6];
    private byte[]? _fragment;
    private int _fragmentLength;
    private int _tailLength;

    /// <summary>The last usage object read, if any.</summary>
    public TokenUsage? Usage { get; private set; }

    public void Scan(ReadOnlySpan<byte> read)
    {
        if (read.IsEmpty)
        {
            return;
        }

        if (_fragmentLength == 0 && _tailLength > 0)
        {
            StartAcrossReads(read);
        }

        if (_fragmentLength > 0 && !Continue(read))
        {
            return; // the whole read belongs to a usage object still incomplete
        }

        var offset = 0;
        int found;
        while ((found = read[offset..].IndexOf(OpenAiUsage.Key)) >= 0)
        {
            var key = offset + found;
            if (!TryParse(read[key..]))
            {
                Hold(read[key..]);
                return;
            }

            offset = key + OpenAiUsage.Key.Length;
        }

        KeepTail(read);
    }

    // A key cut by the previous read's end: its start is in the tail kept from that read.
    private void StartAcrossReads(ReadOnlySpan<byte> read)
    {
        Span<byte> window = stackalloc byte[12];
        _tail.AsSpan(0, _tailLength).CopyTo(window);
        var head = Math.Min(read.Length, 6);
        read[..head].CopyTo(window[_tailLength..]);
        var key = window[..(_tailLength + head)].IndexOf(OpenAiUsage.Key);
        if (key >= 0 && key < _tailLength)
        {
            Hold(_tail.AsSpan(key, _tailLength - key));
        }
    }

    // Adds the read to a held fragment; false while the usage object is still incomplete.
    private bool Continue(ReadOnlySpan<byte> read)
    {
        var take = Math.Min(read.Length, MaxFragment - _fragmentLength);
        read[..take].CopyTo(_fragment.AsSpan(_fragmentLength));
        _fragmentLength += take;
        if (!TryParse(_fragment.AsSpan(0, _fragmentLength)) && _fragmentLength < MaxFragment && take == read.Length)
        {
            return false;
        }

        _fragmentLength = 0;
        return true;
    }

    private void Hold(ReadOnlySpan<byte> start)
    {
        _fragment ??= new byte[MaxFragment];
        var length = Math.Min(start.Length, MaxFragment);
        start[..length].CopyTo(_fragment);
        _fragmentLength = length;
        _tailLength = 0;
    }

    private void KeepTail(ReadOnlySpan<byte> read)
    {
        if (read.Length >= _tail.Length)
        {
            read[^_tail.Length..].CopyTo(_tail);
            _tailLength = _tail.Length;
            return;
        }

        // A short read: what was kept before still counts.
        var keep = Math.Min(_tailLength, _tail.Length - read.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        read.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + read.Length;
    }

    // False when the data ends inside the usage object (more is needed); true when read, or when it is no usage object.
    private bool TryParse(ReadOnlySpan<byte> fromKey)
    {
        var start = OpenAiUsage.ObjectStart(fromKey, 0);
        if (start < 0)
        {
            return start == -2;
        }

        try
        {
            var reader = new Utf8JsonReader(fromKey[start..], isFinalBlock: false, default);
            reader.Read();
            if (!OpenAiUsage.TryRead(ref reader, out var usage))
            {
                return false;
            }

            Usage = usage ?? Usage;
            return true;
        }
        catch (JsonException)
        {
            return true;
        }
    }
}
