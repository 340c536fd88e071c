using System.Text;

namespace LlmGate.Providers;

/// <summary>
/// Finds the last non-null <c>"finish_reason"</c> in OpenAI-shaped bytes (an answer, a read of a stream, a translated
/// chunk) with a vectorised search, for traces (<c>gen_ai.response.finish_reasons</c>). A key cut between two reads is
/// missed, which only costs an attribute.
/// </summary>
internal static class FinishReasonReader
{
    private const int MaxValueBytes = 64;

    private static readonly byte[] Key = "\"finish_reason\""u8.ToArray();

    // OpenAI's values, so the common case allocates nothing.
    private static readonly string[] Known = ["stop", "length", "tool_calls", "content_filter", "function_call"];

    /// <summary>The last finish reason in <paramref name="json"/>, else <paramref name="previous"/>.</summary>
    public static string? Last(ReadOnlySpan<byte> json, string? previous = null)
    {
        var found = previous;
        int at;
        while ((at = json.IndexOf(Key)) >= 0)
        {
            json = json[(at + Key.Length)..];
            var value = json.TrimStart(" \t\r\n"u8);
            if (value.IsEmpty || value[0] != (byte)':')
            {
                continue;
            }

            value = value[1..].TrimStart(" \t\r\n"u8);
            if (value.IsEmpty || value[0] != (byte)'"')
            {
                continue; // null: not finished yet
            }

            value = value[1..];
            var end = value[..Math.Min(value.Length, MaxValueBytes)].IndexOf((byte)'"');
            if (end > 0)
            {
                found = Name(value[..end]);
            }
        }

        return found;
    }

    private static string Name(ReadOnlySpan<byte> value)
    {
        foreach (var known in Known)
        {
            if (value.Length == known.Length && Ascii.Equals(value, known))
            {
                return known;
            }
        }

        return Encoding.UTF8.GetString(value);
    }
}
