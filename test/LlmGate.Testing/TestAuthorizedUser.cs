using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// User credentials as <c>gcloud auth application-default login</c> writes them (<c>type: authorized_user</c>), made for
/// one test, plus a <c>token_uri</c> naming the <see cref="FakeGoogleTokenServer"/> that alone accepts its refresh token.
/// </summary>
public sealed class TestAuthorizedUser
{
    internal TestAuthorizedUser(string tokenUri, string quotaProjectId)
    {
        TokenUri = tokenUri;
        QuotaProjectId = quotaProjectId;
        ClientId = $"{RandomNumberGenerator.GetInt32(100_000_000, 999_999_999)}-fake.apps.googleusercontent.com";
        ClientSecret = "GOCSPX-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(14));
        RefreshToken = "1//fake-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    }

    public string ClientId { get; }

    public string ClientSecret { get; }

    public string RefreshToken { get; }

    /// <summary>The project billed: the project to use when the configuration names none.</summary>
    public string QuotaProjectId { get; }

    /// <summary>The fake token server's <c>/token</c> URL (gcloud leaves it out of the file; Google's libraries read it when present).</summary>
    public string TokenUri { get; }

    public string ToJson() => GoogleJson.File(new JsonObject
    {
        ["account"] = "",
        ["client_id"] = ClientId,
        ["client_secret"] = ClientSecret,
        ["quota_project_id"] = QuotaProjectId,
        ["refresh_token"] = RefreshToken,
        ["token_uri"] = TokenUri,
        ["type"] = "authorized_user",
        ["universe_domain"] = "googleapis.com",
    });

    public void WriteTo(string path) => File.WriteAllText(path, ToJson());
}
