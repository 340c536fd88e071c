using System.Security.Cryptography;
using System.Text;

namespace LlmGate.Keys;

/// <summary>How a virtual key is stored and looked up: the lower-case SHA-256 hex of its UTF-8, as LiteLLM's <c>hash_token</c>.</summary>
internal static class KeyHashes
{
    public static string Of(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        var buffer = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(key, buffer);
        SHA256.HashData(buffer[..written], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>A hash as given (64 hex digits), or the hash of a plaintext <c>sk-</c> key.</summary>
    public static string FromKeyOrHash(string keyOrHash) =>
        keyOrHash.Length == 64 && keyOrHash.All(char.IsAsciiHexDigit) ? keyOrHash.ToLowerInvariant() : Of(keyOrHash);

    /// <summary>LiteLLM's abbreviated form, <c>sk-...abcd</c>: safe to show and to log.</summary>
    public static string Abbreviate(string key) => key.Length <= 4 ? "sk-..." : "sk-..." + key[^4..];
}
