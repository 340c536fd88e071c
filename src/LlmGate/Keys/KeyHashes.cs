using System.Security.Cryptography;
using System.Text;

namespace LlmGate.Keys;

/// <summary>How a virtual key is stored and looked up: the lowercase SHA-256 hex of its UTF-8, as LiteLLM's <c>hash_token</c>.</summary>
internal static class KeyHashes
{
    /// <summary>The hash, without allocating more than its text: this runs on every keyed request.</summary>
    public static string Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        var buffer = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(key, buffer);
        SHA256.HashData(buffer[..written], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// The stored token for a value a client names a key by: an <c>sk-...</c> key is hashed, anything else is taken to be
    /// the hash already (LiteLLM's rule for <c>/key/info?key=</c>, <c>/key/delete</c> and <c>/spend/logs?api_key=</c>).
    /// </summary>
    public static string TokenOf(string keyOrHash)
    {
        ArgumentNullException.ThrowIfNull(keyOrHash);
        return keyOrHash.StartsWith("sk-", StringComparison.Ordinal) ? Of(keyOrHash) : keyOrHash.ToLowerInvariant();
    }

    /// <summary>LiteLLM's abbreviated form, <c>sk-...abcd</c>: safe to show and to log.</summary>
    public static string Abbreviate(string key) => key.Length <= 4 ? "sk-..." : "sk-..." + key[^4..];
}
