using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LlmGate.Testing;

/// <summary>
/// Google's OAuth 2.0 token endpoint (<c>https://oauth2.googleapis.com/token</c>) on 127.0.0.1: <c>POST /token</c>,
/// form-encoded, granting an access token to a JWT signed by one of its <see cref="TestServiceAccount"/>s (the
/// JWT-bearer grant, checked as Google checks it) or to a <see cref="TestAuthorizedUser"/>'s refresh token. Refusals are
/// Google's 400 <c>{"error","error_description"}</c>. Tokens expire on the clock it is given, and
/// <see cref="FakeGemini"/> in Vertex mode accepts only tokens this server issued and that have not expired.
/// </summary>
public sealed class FakeGoogleTokenServer : IAsyncDisposable
{
    private const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private readonly ConcurrentDictionary<string, TestServiceAccount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TestAuthorizedUser> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ReceivedRequestLog _received;
    private WebApplication _app = null!;
    private int _issued;

    private FakeGoogleTokenServer(TimeProvider time)
    {
        Time = time;
        _received = new ReceivedRequestLog(time);
    }

    /// <summary>The clock for the JWT's <c>iat</c>/<c>exp</c> checks and for token expiry.</summary>
    public TimeProvider Time { get; }

    /// <summary><c>http://127.0.0.1:PORT/token</c>: the <c>token_uri</c> of the credentials it makes.</summary>
    public string TokenUri { get; private set; } = null!;

    /// <summary>The <c>expires_in</c> of the tokens it issues from now on, in seconds; Google's 3599 by default.</summary>
    public int ExpiresInSeconds { get; set; } = 3599;

    /// <summary>When true, every request is refused with 400 <c>invalid_grant</c>.</summary>
    public bool Refuse { get; set; }

    /// <summary>When set, each token request, once received, waits for this before it is answered.</summary>
    public TaskCompletionSource? HoldTokenRequests { get; set; }

    /// <summary>How many access tokens it has issued.</summary>
    public int TokensIssued => Volatile.Read(ref _issued);

    /// <summary>Every token request, refused ones included, in arrival order (the body is the form, assertion included).</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received.Received;

    /// <param name="time">The clock; the system clock by default (tests may pass a <c>FakeTimeProvider</c> and advance it).</param>
    public static async Task<FakeGoogleTokenServer> StartAsync(TimeProvider? time = null)
    {
        var server = new FakeGoogleTokenServer(time ?? TimeProvider.System);
        (server._app, var root) = await LoopbackServer.StartAsync(app => app.MapPost("/token", server.HandleAsync));
        server.TokenUri = root + "token";
        return server;
    }

    /// <summary>A new service account of <paramref name="projectId"/> whose JWTs this server accepts.</summary>
    public TestServiceAccount CreateServiceAccount(string projectId = "fake-project", string name = "llmgate-test")
    {
        var account = new TestServiceAccount(TokenUri, projectId, name);
        _accounts[account.ClientEmail] = account;
        return account;
    }

    /// <summary>New user credentials whose refresh token this server accepts.</summary>
    public TestAuthorizedUser CreateAuthorizedUser(string quotaProjectId = "fake-project")
    {
        var user = new TestAuthorizedUser(TokenUri, quotaProjectId);
        _users[user.ClientId] = user;
        return user;
    }

    /// <summary>Whether <paramref name="accessToken"/> was issued here and has not expired on <see cref="Time"/>.</summary>
    public bool IsValid(string accessToken) => _tokens.TryGetValue(accessToken, out var expiry) && Time.GetUtcNow() < expiry;

    /// <summary>Whether <paramref name="accessToken"/> was ever issued here (expired or not).</summary>
    public bool WasIssued(string accessToken) => _tokens.ContainsKey(accessToken);

    /// <summary>Completes once this many token requests (refused ones included) have been received.</summary>
    public Task WaitForRequestsAsync(int count) => _received.WaitForAsync(count);

    public async ValueTask DisposeAsync()
    {
        HoldTokenRequests?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var received = await _received.RecordAsync(context);
        if (HoldTokenRequests is { } hold)
        {
            await hold.Task.WaitAsync(context.RequestAborted);
        }

        if (Refuse)
        {
            await RefuseAsync(context, 400, "invalid_grant", "Refused by the test (FakeGoogleTokenServer.Refuse).");
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) || mediaType.MediaType != "application/x-www-form-urlencoded")
        {
            await RefuseAsync(context, 400, "invalid_request", $"The token request must be application/x-www-form-urlencoded (got '{context.Request.ContentType}').");
            return;
        }

        var form = QueryHelpers.ParseQuery(received.Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var grantType = form.GetValueOrDefault("grant_type");
        if (Check(grantType, form) is { } refused)
        {
            await RefuseAsync(context, refused.Status, refused.Error, refused.Description);
            return;
        }

        var count = Interlocked.Increment(ref _issued);
        var token = $"ya29.fake-{count}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        var expiresIn = ExpiresInSeconds;
        _tokens[token] = Time.GetUtcNow().AddSeconds(expiresIn);
        context.Response.Headers.CacheControl = "no-cache, no-store, max-age=0, must-revalidate";
        await context.Response.WriteAsJsonAsync(grantType == JwtBearer
            ? new { access_token = token, expires_in = expiresIn, token_type = "Bearer" }
            : (object)new { access_token = token, expires_in = expiresIn, scope = ServiceAccountAssertion.CloudPlatformScope, token_type = "Bearer" });
    }

    // Null when the grant is good; Google's refusal otherwise.
    private (int Status, string Error, string Description)? Check(string? grantType, Dictionary<string, string> form)
    {
        switch (grantType)
        {
            case null or "":
                return (400, "invalid_request", "Missing required parameter: grant_type");
            case JwtBearer:
                var invalid = ServiceAccountAssertion.Check(form.GetValueOrDefault("assertion") ?? "", email => _accounts.GetValueOrDefault(email), TokenUri, Time.GetUtcNow());
                return invalid is { } refused ? (400, refused.Error, refused.Description) : null;
            case "refresh_token":
                return CheckRefresh(form);
            default:
                return (400, "unsupported_grant_type", $"Invalid grant_type: {grantType}");
        }
    }

    // Google's answers to a bad refresh grant: an unknown client or wrong secret is 401 invalid_client, a wrong token 400 invalid_grant.
    private (int Status, string Error, string Description)? CheckRefresh(Dictionary<string, string> form)
    {
        if (!_users.TryGetValue(form.GetValueOrDefault("client_id") ?? "", out var user))
        {
            return (401, "invalid_client", "The OAuth client was not found.");
        }

        if (form.GetValueOrDefault("client_secret") != user.ClientSecret)
        {
            return (401, "invalid_client", "Unauthorized");
        }

        return form.GetValueOrDefault("refresh_token") == user.RefreshToken ? null : (400, "invalid_grant", "Bad Request");
    }

    private static Task RefuseAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error, error_description = description });
    }
}
