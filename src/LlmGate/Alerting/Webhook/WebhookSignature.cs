using System.Security.Cryptography;
using System.Text;

namespace LlmGate.Alerting.Webhook;

/// <summary><c>X-LlmGate-Signature</c>: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the secret's UTF-8 bytes.</summary>
internal static class WebhookSignature
{
    public const string Header = "X-LlmGate-Signature";
    public const string Prefix = "sha256=";

    public static string Of(byte[] body, string secret)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }
}
