using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// A webhook receiver on 127.0.0.1 (a random port), as strict as a careful one: with a secret it checks
/// <c>X-LlmGate-Signature</c> (<c>sha256=</c> + lowercase hex HMAC-SHA256 of the body) and answers 401 when it is wrong
/// or missing, counting the failure; it takes JSON only; it can be told to answer 429 (with Retry-After) or 503 to the
/// next requests; it records each accepted body, with a wait for them.
/// </summary>
public sealed class FakeWebhookReceiver : IAsyncDisposable
{
    public const string Path = "/hooks/T0KEN-in-the-path";

    private readonly WebApplication _app;
    private readonly string? _secret;
    private readonly Lock _lock = new();
    private readonly ChangeSignal _changes;
    private readonly List<FakeWebhookReceiverDelivery> _deliveries = [];
    private readonly Queue<(int Status, TimeSpan? RetryAfter)> _script = new();
    private int _requests;
    private int _signatureFailures;

    private FakeWebhookReceiver(WebApplication app, Uri root, string? secret)
    {
        _app = app;
        _secret = secret;
        _changes = new ChangeSignal(_lock, "webhook receiver");
        Url = new Uri(root, Path);
    }

    /// <summary>Where to POST; its path stands for the token real webhook URLs carry.</summary>
    public Uri Url { get; }

    public IReadOnlyList<FakeWebhookReceiverDelivery> Deliveries
    {
        get
        {
            lock (_lock)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>Every request, answered with whatever status.</summary>
    public int Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests;
            }
        }
    }

    /// <summary>Requests refused with 401 for a missing or wrong signature.</summary>
    public int SignatureFailures
    {
        get
        {
            lock (_lock)
            {
                return _signatureFailures;
            }
        }
    }

    /// <param name="secret">When set, every request must be signed with it.</param>
    public static async Task<FakeWebhookReceiver> StartAsync(string? secret = null)
    {
        FakeWebhookReceiver? fake = null;
        var (app, root) = await LoopbackServer.StartAsync(app => app.MapPost(Path, (HttpContext context) => fake!.HandleAsync(context)));
        fake = new FakeWebhookReceiver(app, root, secret);
        return fake;
    }

    /// <summary>The next <paramref name="count"/> requests get <paramref name="status"/> (and Retry-After, in whole seconds), before any check.</summary>
    public void FailNext(int count, int status, TimeSpan? retryAfter = null)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _script.Enqueue((status, retryAfter));
            }
        }
    }

    public Task WaitForDeliveriesAsync(int count, TimeSpan timeout) => _changes.WaitForAsync(() => _deliveries.Count >= count, timeout, $"{count} delivery(ies)");

    public Task WaitForRequestsAsync(int count, TimeSpan timeout) => _changes.WaitForAsync(() => _requests >= count, timeout, $"{count} request(s)");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The signature a receiver expects for <paramref name="body"/>, computed here independently of the gateway.</summary>
    public static string SignatureOf(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        (int Status, TimeSpan? RetryAfter)? scripted = null;
        var signature = context.Request.Headers["X-LlmGate-Signature"].ToString();
        bool signedWrong;
        lock (_lock)
        {
            _requests++;
            if (_script.Count > 0)
            {
                scripted = _script.Dequeue();
            }

            signedWrong = scripted is null && _secret is not null
                && !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(SignatureOf(body, _secret)));
            if (signedWrong)
            {
                _signatureFailures++;
            }
        }

        try
        {
            if (scripted is { } answer)
            {
                if (answer.RetryAfter is { } wait)
                {
                    context.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                context.Response.StatusCode = answer.Status;
                await context.Response.WriteAsync(answer.Status == 429 ? "slow down" : "unavailable", context.RequestAborted);
                return;
            }

            if (signedWrong)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync("signature mismatch", context.RequestAborted);
                return;
            }

            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return;
            }

            JsonElement json;
            try
            {
                using var document = JsonDocument.Parse(body);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("not JSON", context.RequestAborted);
                return;
            }

            lock (_lock)
            {
                _deliveries.Add(new FakeWebhookReceiverDelivery(
                    Encoding.UTF8.GetString(body),
                    json,
                    context.Request.ContentType,
                    context.Request.Headers["X-LlmGate-Event"].ToString(),
                    context.Request.Headers["X-LlmGate-Delivery"].ToString(),
                    signature.Length > 0 ? signature : null));
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsync("ok", context.RequestAborted);
        }
        finally
        {
            Signal();
        }
    }

    private void Signal()
    {
        lock (_lock)
        {
            _changes.Signal();
        }
    }
}
