using System.Security.Cryptography;
using System.Text;

namespace LlmGate.Keys;

/// <summary>How a virtual key is stored and looked up: the lowercase SHA-256 hex of its UTF-8, as LiteLLM's <c>hash_token</c>.</summary>
internal static class KeyHashes
{
    public static string Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
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
}
