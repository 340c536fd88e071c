using System.Buffers.Text;
using System.Globalization;
using System.Text.Unicode;

namespace LlmGate.OpenAi;

/// <summary>
/// Whether a JSON body's text is Unicode: UTF-8 throughout (RFC 8259 requires it) and no unpaired UTF-16 surrogate
/// escape such as <c>\ud800</c> in a string (valid JSON grammar, but no character: RFC 8259 section 8.2). The reader
/// accepts both and only fails when a string is decoded, which every translating provider does: checked once, up
/// front, so such a body is the client's 400 and never an internal error counted against a deployment.
/// </summary>
internal static class JsonUnicode
{
    /// <summary>What is wrong with the body's text, or null when it is Unicode. Never quotes the body.</summary>
    public static string? Problem(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body))
        {
            return "The request body is not valid UTF-8.";
        }

        // Valid JSON has backslashes only inside strings, each starting an escape: walking from one escape to the next
        // reads every \u escape, and an escaped backslash never makes the next character look like one.
        var rest = body;
        int at;
        while ((at = rest.IndexOf((byte)'\\')) >= 0 && at + 1 < rest.Length)
        {
            if (rest[at + 1] != (byte)'u' || !TryReadUnit(rest[(at + 2)..], out var unit))
            {
                rest = rest[(at + 2)..]; // another escape, or a broken one the JSON reader reports
                continue;
            }

            rest = rest[(at + 6)..];
            if (char.IsHighSurrogate(unit) && rest.Length >= 6 && rest[0] == (byte)'\\' && rest[1] == (byte)'u'
                && TryReadUnit(rest[2..], out var low) && char.IsLowSurrogate(low))
            {
                rest = rest[6..];
            }
            else if (char.IsSurrogate(unit))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"The request body holds an unpaired surrogate escape (\\u{(int)unit:x4}) in a string, which is no Unicode character.");
            }
        }

        return null;
    }

    private static bool TryReadUnit(ReadOnlySpan<byte> hex, out char unit)
    {
        unit = default;
        if (hex.Length < 4 || !Utf8Parser.TryParse(hex[..4], out ushort value, out var consumed, 'x') || consumed != 4)
        {
            return false;
        }

        unit = (char)value;
        return true;
    }
}
