using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake token endpoint grants a token only for a JWT Google would take, and the token lives as long as it says.</summary>
public sealed class FakeGoogleTokenServerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private FakeGoogleTokenServer _tokens = null!;
    private TestServiceAccount _account = null!;

    public async Task InitializeAsync()
    {
        _tokens = await FakeGoogleTokenServer.StartAsync(_time);
        _account = _tokens.CreateServiceAccount("my-project", "gateway");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _tokens.DisposeAsync();
    }

    [Fact]
    public async Task Post_ValidAssertion_GrantsABearerTokenThatExpiresOnItsClock()
    {
        using var response = await GoogleJwt.PostAsync(_http, _tokens.TokenUri, GoogleJwt.Sign(_account.PrivateKeyPem, GoogleJwt.Header(_account), GoogleJwt.Claims(_account, _time.GetUtcNow())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var token = body["access_token"]!.GetValue<string>();
        Assert.StartsWith("ya29.fake-1-", token, StringComparison.Ordinal);
        Assert.Equal((3599, "Bearer"), (body["expires_in"]!.GetValue<int>(), body["token_type"]!.GetValue<string>()));
        Assert.Equal(1, _tokens.TokensIssued);
        _time.Advance(TimeSpan.FromSeconds(3598));
        Assert.True(_tokens.IsValid(token));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_tokens.IsValid(token));
    }

    [Theory]
    [InlineData("signed by another key", "invalid_grant", "Invalid JWT Signature.")]
    [InlineData("another kid", "invalid_grant", "Invalid JWT Signature.")]
    [InlineData("HS256", "invalid_grant", "Invalid JWT header")]
    [InlineData("unknown iss", "invalid_grant", "Invalid grant: account not found")]
    [InlineData("expired", "invalid_grant", "Invalid JWT: Token must be a short-lived token")]
    [InlineData("issued in the future", "invalid_grant", "Invalid JWT: Token must be a short-lived token")]
    [InlineData("longer than an hour", "invalid_grant", "Invalid JWT: Token must be a short-lived token")]
    [InlineData("wrong aud", "invalid_grant", "Invalid JWT: Failed audience check.")]
    [InlineData("no scope", "invalid_scope", "Empty or missing scope not allowed.")]
    [InlineData("other scope", "invalid_scope", "Invalid OAuth scope")]
    [InlineData("not a JWT", "invalid_grant", "Invalid JWT")]
    public async Task Post_AssertionGoogleWouldRefuse_Is400WithItsError(string flaw, string error, string description)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var header = GoogleJwt.Header(_account);
        var claims = GoogleJwt.Claims(_account, _time.GetUtcNow());
        var key = _account.PrivateKeyPem;
        switch (flaw)
        {
            case "signed by another key": key = _tokens.CreateServiceAccount("my-project", "other").PrivateKeyPem; break;
            case "another kid": header["kid"] = "0123456789abcdef"; break;
            case "HS256": header["alg"] = "HS256"; break;
            case "unknown iss": claims["iss"] = "nobody@my-project.iam.gserviceaccount.com"; break;
            case "expired": (claims["iat"], claims["exp"]) = (now - 3600, now); break;
            case "issued in the future": (claims["iat"], claims["exp"]) = (now + 120, now + 1800); break;
            case "longer than an hour": claims["exp"] = now + 3601; break;
            case "wrong aud": claims["aud"] = "https://oauth2.example.com/token"; break;
            case "no scope": claims.Remove("scope"); break;
            case "other scope": claims["scope"] = "https://www.googleapis.com/auth/userinfo.email"; break;
        }

        var assertion = flaw == "not a JWT" ? "not.a-jwt" : GoogleJwt.Sign(key, header, claims);
        using var response = await GoogleJwt.PostAsync(_http, _tokens.TokenUri, assertion);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(error, body["error"]!.GetValue<string>());
        Assert.StartsWith(description, body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, _tokens.TokensIssued);
    }

    [Fact]
    public async Task Post_ScopeListIncludingCloudPlatform_IsGranted()
    {
        var claims = GoogleJwt.Claims(_account, _time.GetUtcNow());
        claims["scope"] = "https://www.googleapis.com/auth/userinfo.email " + GoogleJwt.CloudPlatform;

        using var response = await GoogleJwt.PostAsync(_http, _tokens.TokenUri, GoogleJwt.Sign(_account.PrivateKeyPem, GoogleJwt.Header(_account), claims));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_WhenRefusing_IsInvalidGrantEvenForAGoodAssertion()
    {
        _tokens.Refuse = true;

        using var response = await GoogleJwt.PostAsync(_http, _tokens.TokenUri, GoogleJwt.Sign(_account.PrivateKeyPem, GoogleJwt.Header(_account), GoogleJwt.Claims(_account, _time.GetUtcNow())));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_JsonInsteadOfAForm_IsInvalidRequest()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_tokens.TokenUri), new { grant_type = "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion = "x.y.z" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_HeldRequest_IsAnsweredOnlyWhenReleased()
    {
        _tokens.HoldTokenRequests = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = GoogleJwt.AccessTokenAsync(_http, _account, _time.GetUtcNow());
        await _tokens.WaitForRequestsAsync(1);
        Assert.False(call.IsCompleted);
        Assert.Equal(0, _tokens.TokensIssued);
        _tokens.HoldTokenRequests.SetResult();

        Assert.True(_tokens.IsValid(await call));
        Assert.Equal(1, _tokens.TokensIssued);
    }

    [Theory]
    [InlineData(true, true, HttpStatusCode.OK, null)]
    [InlineData(true, false, HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData(false, true, HttpStatusCode.BadRequest, "invalid_grant")]
    public async Task Post_RefreshGrant_IsCheckedAgainstTheAuthorizedUser(bool rightToken, bool rightSecret, HttpStatusCode status, string? error)
    {
        var user = _tokens.CreateAuthorizedUser();

        using var response = await _http.PostAsync(new Uri(_tokens.TokenUri), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = user.ClientId,
            ["client_secret"] = rightSecret ? user.ClientSecret : "GOCSPX-wrong",
            ["refresh_token"] = rightToken ? user.RefreshToken : "1//wrong",
        }));

        Assert.Equal(status, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(error, body["error"]?.GetValue<string>());
        Assert.Equal(error is null, body["access_token"] is not null && _tokens.IsValid(body["access_token"]!.GetValue<string>()));
    }

    [Fact]
    public void ServiceAccount_ToJson_IsTheConsoleKeyFileWithAUsableKey()
    {
        var text = _account.ToJson();
        var json = JsonNode.Parse(text)!.AsObject();

        Assert.Equal(
            ["type", "project_id", "private_key_id", "private_key", "client_email", "client_id", "auth_uri", "token_uri",
             "auth_provider_x509_cert_url", "client_x509_cert_url", "universe_domain"],
            json.Select(p => p.Key));
        Assert.Equal(("service_account", "my-project", "gateway@my-project.iam.gserviceaccount.com", _tokens.TokenUri, "googleapis.com"),
            (S(json, "type"), S(json, "project_id"), S(json, "client_email"), S(json, "token_uri"), S(json, "universe_domain")));
        Assert.Matches("^[0-9a-f]{40}$", S(json, "private_key_id"));
        Assert.Matches("^[1-9][0-9]{20}$", S(json, "client_id"));
        var pem = S(json, "private_key");
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        Assert.EndsWith("\n-----END PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", text, StringComparison.Ordinal);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        Assert.Equal(2048, rsa.KeySize);
    }

    [Fact]
    public void ServiceAccount_WriteTo_WritesTheJson()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sa-{Guid.NewGuid():N}.json");
        try
        {
            _account.WriteTo(path);

            Assert.Equal(_account.ToJson(), File.ReadAllText(path, Encoding.UTF8));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string S(JsonObject json, string name) => json[name]!.GetValue<string>();
}
