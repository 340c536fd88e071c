using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>Google's JWT-bearer grant done by hand, as a gateway would: a header and claims signed RS256 with the key from the key file.</summary>
internal static class GoogleJwt
{
    public const string CloudPlatform = "https://www.googleapis.com/auth/cloud-platform";

    public static JsonObject Header(TestServiceAccount account) => new() { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = account.PrivateKeyId };

    public static JsonObject Claims(TestServiceAccount account, DateTimeOffset now) => new()
    {
        ["iss"] = account.ClientEmail,
        ["scope"] = CloudPlatform,
        ["aud"] = account.TokenUri,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.ToUnixTimeSeconds() + 3600,
    };

    /// <summary><c>base64url(header).base64url(claims).base64url(RS256 signature)</c>, signed with <paramref name="privateKeyPem"/>.</summary>
    public static string Sign(string privateKeyPem, JsonObject header, JsonObject claims)
    {
        var signed = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return signed + "." + Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string tokenUri, string assertion) =>
        http.PostAsync(new Uri(tokenUri), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = assertion,
        }));

    /// <summary>An access token for <paramref name="account"/>, granted by its token server for a JWT issued at <paramref name="now"/>.</summary>
    public static async Task<string> AccessTokenAsync(HttpClient http, TestServiceAccount account, DateTimeOffset now)
    {
        using var response = await PostAsync(http, account.TokenUri, Sign(account.PrivateKeyPem, Header(account), Claims(account, now)));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
    }
}
