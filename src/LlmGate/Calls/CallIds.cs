namespace LlmGate.Calls;

/// <summary>
/// Call ids (<c>x-litellm-call-id</c>, the spend log's <c>request_id</c>): UUIDv7 strings (RFC 9562), ordered by time so
/// that spend-log rows keyed by them append to their index. The 74 random bits come from <see cref="Random.Shared"/>
/// (per-thread generators seeded from the OS) rather than from <see cref="Guid.CreateVersion7()"/>, which on Linux reads
/// <c>/dev/urandom</c>: a system call on every request, seen in the profile. A call id names a call and grants
/// nothing (the client is given it), so it needs to be unique, not unpredictable.
/// </summary>
internal static class CallIds
{
    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        var milliseconds = now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (40 - (8 * i)));
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // variant 10xx
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
