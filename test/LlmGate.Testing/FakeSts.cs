using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LlmGate.Testing;

/// <summary>
/// AWS STS (the Query API, <c>https://sts.amazonaws.com</c>) on 127.0.0.1: a form-encoded <c>POST /</c> with
/// <c>Action=AssumeRole&amp;Version=2011-06-15&amp;RoleArn&amp;RoleSessionName[&amp;ExternalId][&amp;DurationSeconds]</c>,
/// SigV4-signed (service <c>sts</c>, this region) by the long-term key it starts with, or
/// <c>Action=AssumeRoleWithWebIdentity&amp;…&amp;WebIdentityToken</c>, unsigned, carrying <see cref="WebIdentityToken"/>.
/// It answers STS's XML with new temporary credentials (<c>ASIA…</c> with a session token) that expire after
/// <c>DurationSeconds</c> (3600 by default) on <see cref="Time"/>, and that a <see cref="FakeBedrock"/> given this server
/// (<see cref="FakeBedrock.AcceptCredentialsFrom"/>) accepts until then. Refusals are STS's <c>ErrorResponse</c> XML.
/// </summary>
public sealed partial class FakeSts : IAsyncDisposable
{
    /// <summary>The SigV4 signing name of STS.</summary>
    public const string SigningName = "sts";

    private const string Version = "2011-06-15";

    private readonly ConcurrentDictionary<string, FakeAwsCredentials> _issued = new(StringComparer.Ordinal);
    private readonly AwsSigV4Verifier _verifier;
    private readonly ReceivedRequestLog _received;
    private WebApplication _app = null!;
    private int _issuedCount;

    private FakeSts(FakeAwsCredentials caller, string region, TimeProvider time)
    {
        Region = region;
        Time = time;
        _received = new ReceivedRequestLog(time);
        _verifier = new AwsSigV4Verifier(SigningName, region, time, id => id == caller.AccessKeyId ? caller : Find(id));
    }

    /// <summary>The endpoint to configure (<c>aws_sts_endpoint</c>, the SDK's <c>ServiceURL</c>): the server root.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    /// <summary>The region AssumeRole signatures must be scoped to.</summary>
    public string Region { get; }

    /// <summary>The clock for signature dates and for the expiration of the credentials it issues.</summary>
    public TimeProvider Time { get; }

    /// <summary>The only token AssumeRoleWithWebIdentity accepts (null: it accepts none).</summary>
    public string? WebIdentityToken { get; set; }

    /// <summary>When set, AssumeRole is denied unless it carries this <c>ExternalId</c>.</summary>
    public string? ExternalId { get; set; }

    /// <summary>When true, every well-formed, authenticated request is denied with 403 <c>AccessDenied</c>.</summary>
    public bool Refuse { get; set; }

    /// <summary>When set, each request, once received, waits for this before it is answered.</summary>
    public TaskCompletionSource? HoldRequests { get; set; }

    /// <summary>How many sets of temporary credentials it has issued.</summary>
    public int CredentialsIssued => Volatile.Read(ref _issuedCount);

    /// <summary>The temporary credentials it has issued, with their expirations.</summary>
    public IReadOnlyCollection<FakeAwsCredentials> Issued => [.. _issued.Values];

    /// <summary>Every request, refused ones included, in arrival order (the body is the form).</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received.Received;

    /// <param name="accessKeyId">The long-term key that may sign AssumeRole (credentials it issued may too).</param>
    /// <param name="time">The clock; the system clock by default.</param>
    public static async Task<FakeSts> StartAsync(string accessKeyId, string secretAccessKey, string region = "us-east-1", TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        var sts = new FakeSts(new FakeAwsCredentials(accessKeyId, secretAccessKey), region, time ?? TimeProvider.System);
        (sts._app, sts.ServiceUrl) = await LoopbackServer.StartAsync(app => app.Run(sts.HandleAsync));
        return sts;
    }

    /// <summary>Completes once this many requests (refused ones included) have been received.</summary>
    public Task WaitForRequestsAsync(int count) => _received.WaitForAsync(count);

    public async ValueTask DisposeAsync()
    {
        HoldRequests?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The issued credentials of <paramref name="accessKeyId"/> (expired or not), or null.</summary>
    internal FakeAwsCredentials? Find(string accessKeyId) => _issued.GetValueOrDefault(accessKeyId);

    private async Task HandleAsync(HttpContext context)
    {
        var (received, body) = await _received.RecordRawAsync(context);
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        // AWS dates every answer; the SDKs correct their clock from it when a signature is refused as skewed.
        context.Response.Headers.Date = Time.GetUtcNow().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        await FakeRequests.ServeAsync(context, async () =>
        {
            if (HoldRequests is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }

            await ServeAsync(context, received, body, requestId);
        });
    }

    private async Task ServeAsync(HttpContext context, ReceivedRequest received, byte[] body, string requestId)
    {
        if (context.Request.Method != "POST" || !MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || mediaType.MediaType != "application/x-www-form-urlencoded")
        {
            await StsXml.ErrorAsync(context, 400, "InvalidAction", "STS takes a POST of an application/x-www-form-urlencoded form.", requestId);
            return;
        }

        var form = QueryHelpers.ParseQuery(received.Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var action = form.GetValueOrDefault("Action") ?? "";
        if (form.GetValueOrDefault("Version") != Version || action is not ("AssumeRole" or "AssumeRoleWithWebIdentity"))
        {
            await StsXml.ErrorAsync(context, 400, "InvalidAction", $"Could not find operation {action} for version {form.GetValueOrDefault("Version")}", requestId);
            return;
        }

        if (action == "AssumeRole")
        {
            var (_, failure) = _verifier.Verify(context.Request.Method, received.RawTarget, context.Request.Headers, body);
            if (failure is not null)
            {
                var (status, code) = failure.Kind switch
                {
                    AwsAuthFailureKind.Missing => (403, "MissingAuthenticationToken"),
                    AwsAuthFailureKind.Incomplete => (400, "IncompleteSignature"),
                    AwsAuthFailureKind.UnknownCredentials => (403, "InvalidClientTokenId"),
                    AwsAuthFailureKind.ExpiredToken => (400, "ExpiredToken"),
                    _ => (403, "SignatureDoesNotMatch"),
                };
                await StsXml.ErrorAsync(context, status, code, failure.Kind == AwsAuthFailureKind.Missing ? "Request is missing Authentication Token" : failure.Message, requestId);
                return;
            }
        }

        if (CheckParameters(form, action) is { } invalid)
        {
            await StsXml.ErrorAsync(context, 400, "ValidationError", invalid, requestId);
            return;
        }

        var roleArn = form["RoleArn"];
        if (action == "AssumeRoleWithWebIdentity" && (WebIdentityToken is null || form["WebIdentityToken"] != WebIdentityToken))
        {
            await StsXml.ErrorAsync(context, 400, "InvalidIdentityToken",
                "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.", requestId);
            return;
        }

        if (Refuse || (action == "AssumeRole" && ExternalId is not null && form.GetValueOrDefault("ExternalId") != ExternalId))
        {
            await StsXml.ErrorAsync(context, 403, "AccessDenied",
                $"User: arn:aws:iam::123456789012:user/llmgate is not authorized to perform: sts:{action} on resource: {roleArn}", requestId);
            return;
        }

        var session = form["RoleSessionName"];
        var duration = form.TryGetValue("DurationSeconds", out var seconds) ? int.Parse(seconds, CultureInfo.InvariantCulture) : 3600;
        var credentials = Issue(duration);
        var account = roleArn.Split(':')[4];
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var assumedRoleArn = $"arn:aws:sts::{account}:assumed-role/{roleName}/{session}";
        var assumedRoleId = $"AROA{Random(16)}:{session}";
        await (action == "AssumeRole"
            ? StsXml.ResultAsync(context, action, credentials, assumedRoleArn, assumedRoleId, requestId)
            : StsXml.ResultAsync(context, action, credentials, assumedRoleArn, assumedRoleId, requestId, WebIdentityClaims(form["WebIdentityToken"])));
    }

    // STS's coral validation of the parameters both actions share, and the web identity token.
    private static string? CheckParameters(Dictionary<string, string> form, string action)
    {
        foreach (var required in action == "AssumeRole" ? ["RoleArn", "RoleSessionName"] : new[] { "RoleArn", "RoleSessionName", "WebIdentityToken" })
        {
            if (!form.ContainsKey(required))
            {
                return $"1 validation error detected: Value null at '{char.ToLowerInvariant(required[0])}{required[1..]}' failed to satisfy constraint: Member must not be null";
            }
        }

        if (!RoleArn().IsMatch(form["RoleArn"]))
        {
            return "Request ARN is invalid";
        }

        if (!SessionName().IsMatch(form["RoleSessionName"]))
        {
            return $"1 validation error detected: Value '{form["RoleSessionName"]}' at 'roleSessionName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64";
        }

        if (form.TryGetValue("DurationSeconds", out var seconds)
            && !(int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var duration) && duration is >= 900 and <= 43200))
        {
            return $"1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200";
        }

        return null;
    }

    private FakeAwsCredentials Issue(int durationSeconds)
    {
        var now = Time.GetUtcNow();
        var expiration = now.UtcDateTime.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)).AddSeconds(durationSeconds);
        var credentials = new FakeAwsCredentials($"ASIA{Random(16)}", Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            "FwoGZXIvYXdzEFake" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(120)), new DateTimeOffset(expiration));
        _issued[credentials.AccessKeyId] = credentials;
        Interlocked.Increment(ref _issuedCount);
        return credentials;
    }

    private static string Random(int length) => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", length);

    // The subject, audience and provider of the token when it is a JWT; fixed stand-ins otherwise.
    private static (string, string)[] WebIdentityClaims(string token)
    {
        JsonObject? claims = null;
        try
        {
            var parts = token.Split('.');
            claims = parts.Length == 3 ? JsonNode.Parse(Base64UrlTextEncoder.Decode(parts[1])) as JsonObject : null;
        }
        catch (Exception exception) when (exception is FormatException or System.Text.Json.JsonException)
        {
            // Not a JWT: the stand-ins.
        }

        return
        [
            ("SubjectFromWebIdentityToken", claims?["sub"]?.ToString() ?? "fake-subject"),
            ("Audience", claims?["aud"]?.ToString() ?? "sts.amazonaws.com"),
            ("Provider", claims?["iss"]?.ToString() ?? "fake-identity-provider"),
        ];
    }

    [GeneratedRegex(@"^arn:aws:iam::\d{12}:role/[\w+=,.@/-]+$")]
    private static partial Regex RoleArn();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionName();
}
