using System.Buffers.Text;
using System.Security.Cryptography;

namespace LlmGate.Keys;

/// <summary>New virtual keys: <c>sk-</c> + base64url of random bytes, as LiteLLM's <c>secrets.token_urlsafe</c>.</summary>
internal static class GeneratedKeys
{
    public static string New(int randomBytes) => "sk-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(randomBytes));

    /// <summary><c>key_name</c>: <c>sk-...</c> and the key's last four characters, the only part lists ever show.</summary>
    public static string NameOf(string key) => "sk-..." + (key.Length > 4 ? key[^4..] : key);
}
