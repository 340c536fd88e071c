namespace LlmGate.Providers;

/// <summary>
/// Remembers the last six bytes of an OpenAI stream that are not whitespace, across reads, to tell one that ended with
/// <c>data: [DONE]</c> from one the upstream cut short. A value type held by the relay: nothing allocated per read.
/// </summary>
internal struct StreamEndMarker
{
    // "[DONE]" as the low six bytes of a ulong, first byte highest.
    private const ulong Done = 0x5B_44_4F_4E_45_5DUL;
    private const ulong SixBytes = 0xFFFF_FFFF_FFFFUL;

    private ulong _last;

    public readonly bool EndsWithDone => (_last & SixBytes) == Done;

    public void Add(ReadOnlySpan<byte> read)
    {
        var trimmed = read.TrimEnd(" \t\r\n"u8);
        foreach (var b in trimmed[Math.Max(0, trimmed.Length - 6)..])
        {
            _last = (_last << 8) | b;
        }
    }
}
