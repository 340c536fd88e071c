using System.Buffers.Text;
using System.Text;

namespace LlmGate.Bench.Load;

/// <summary>The parts of an HTTP/1.1 response head that framing needs.</summary>
internal readonly record struct ResponseHead(int Status, long ContentLength, bool Chunked, bool KeepAlive)
{
    public static ResponseHead Parse(ReadOnlySpan<byte> head)
    {
        if (head.Length < 12 || !head.StartsWith("HTTP/1.1 "u8) || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
        {
            throw new InvalidDataException("Not an HTTP/1.1 status line: " + Encoding.ASCII.GetString(head[..Math.Min(head.Length, 40)]));
        }

        long contentLength = -1;
        var chunked = false;
        var keepAlive = true;
        var rest = head[(head.IndexOf("\r\n"u8) is var firstEnd and >= 0 ? firstEnd + 2 : head.Length)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!Utf8Parser.TryParse(value, out contentLength, out _))
                {
                    throw new InvalidDataException("Content-Length is not a number.");
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = Contains(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                keepAlive = !Contains(value, "close"u8);
            }
        }

        return new ResponseHead(status, chunked ? -1 : contentLength, chunked, keepAlive);
    }

    private static bool Contains(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        for (var i = 0; i + token.Length <= value.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(value.Slice(i, token.Length), token))
            {
                return true;
            }
        }

        return false;
    }
}
