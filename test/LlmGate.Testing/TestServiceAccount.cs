using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// A Google service account made for one test: a fresh RSA-2048 key, and the JSON key file exactly as Google's console
/// writes it, whose <c>token_uri</c> is the <see cref="FakeGoogleTokenServer"/> that made it (and alone trusts it).
/// </summary>
public sealed class TestServiceAccount
{
    private readonly byte[] _publicKey;

    internal TestServiceAccount(string tokenUri, string projectId, string name)
    {
        using var rsa = RSA.Create(2048);
        PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem() + "\n";
        _publicKey = rsa.ExportSubjectPublicKeyInfo();
        TokenUri = tokenUri;
        ProjectId = projectId;
        PrivateKeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        ClientEmail = $"{name}@{projectId}.iam.gserviceaccount.com";
        ClientId = "1" + string.Concat(RandomNumberGenerator.GetItems<char>("0123456789", 20));
    }

    public string ProjectId { get; }

    /// <summary>The key's id: the <c>kid</c> of the JWT header.</summary>
    public string PrivateKeyId { get; }

    /// <summary>The private key, PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>), lines ended by <c>\n</c>.</summary>
    public string PrivateKeyPem { get; }

    /// <summary><c>{name}@{project}.iam.gserviceaccount.com</c>: the JWT's <c>iss</c>.</summary>
    public string ClientEmail { get; }

    public string ClientId { get; }

    /// <summary>The fake token server's <c>http://127.0.0.1:PORT/token</c>: where to post the grant, and the JWT's <c>aud</c>.</summary>
    public string TokenUri { get; }

    /// <summary>The key file, as downloaded from Google's console.</summary>
    public string ToJson() => GoogleJson.File(new JsonObject
    {
        ["type"] = "service_account",
        ["project_id"] = ProjectId,
        ["private_key_id"] = PrivateKeyId,
        ["private_key"] = PrivateKeyPem,
        ["client_email"] = ClientEmail,
        ["client_id"] = ClientId,
        ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
        ["token_uri"] = TokenUri,
        ["auth_provider_x509_cert_url"] = "https://www.googleapis.com/oauth2/v1/certs",
        ["client_x509_cert_url"] = $"https://www.googleapis.com/robot/v1/metadata/x509/{Uri.EscapeDataString(ClientEmail)}",
        ["universe_domain"] = "googleapis.com",
    });

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>, as a <c>GOOGLE_APPLICATION_CREDENTIALS</c> file.</summary>
    public void WriteTo(string path) => File.WriteAllText(path, ToJson());

    /// <summary>Whether <paramref name="signature"/> is this account's RS256 (PKCS#1 v1.5, SHA-256) signature of <paramref name="data"/>.</summary>
    internal bool Verifies(byte[] data, byte[] signature)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(_publicKey, out _);
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
