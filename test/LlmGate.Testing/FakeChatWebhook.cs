using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Testing;

/// <summary>
/// What the fake Slack, Discord and Teams webhooks share: a quiet Kestrel on 127.0.0.1 at a free port taking POSTs
/// under one route, that can answer 429 for the next requests or 503 while down, hands the rest to the service's own
/// check, and records what was accepted with a wait for a count.
/// </summary>
public sealed class FakeChatWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<HttpRequest, byte[], (FakeChatReply Reply, JsonObject? Accepted)> _handle;
    private readonly Func<int, FakeChatReply> _rateLimited;
    private readonly FakeChatReply _down;
    private readonly Lock _lock = new();
    private readonly List<FakeChatMessage> _accepted = [];
    private readonly List<int> _answers = [];
    private readonly ChangeSignal _changes;
    private int _rateLimitedRemaining;
    private int _retryAfterSeconds;
    private bool _isDown;

    private FakeChatWebhook(WebApplication app, Func<HttpRequest, byte[], (FakeChatReply, JsonObject?)> handle, Func<int, FakeChatReply> rateLimited, FakeChatReply down)
    {
        _changes = new ChangeSignal(_lock, "fake webhook");
        _app = app;
        _handle = handle;
        _rateLimited = rateLimited;
        _down = down;
        Root = null!;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>, without a trailing '/'.</summary>
    public Uri Root { get; private set; }

    public IReadOnlyList<FakeChatMessage> Accepted
    {
        get
        {
            lock (_lock)
            {
                return [.. _accepted];
            }
        }
    }

    /// <summary>The status of every answer, in order.</summary>
    public IReadOnlyList<int> Answers
    {
        get
        {
            lock (_lock)
            {
                return [.. _answers];
            }
        }
    }

    /// <param name="route">The POST route, e.g. <c>/services/{**path}</c>.</param>
    /// <param name="handle">The service's check of a request: its answer, and the message when accepted.</param>
    /// <param name="rateLimited">The 429 for a Retry-After in seconds.</param>
    /// <param name="down">The answer while down.</param>
    public static async Task<FakeChatWebhook> StartAsync(
        string route, Func<HttpRequest, byte[], (FakeChatReply Reply, JsonObject? Accepted)> handle, Func<int, FakeChatReply> rateLimited, FakeChatReply down)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeChatWebhook(app, handle, rateLimited, down);
        app.MapPost(route, fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Root = new Uri(address.TrimEnd('/'));
        return fake;
    }

    /// <summary>The next <paramref name="count"/> requests get 429 with Retry-After: <paramref name="retryAfterSeconds"/>.</summary>
    public void RateLimitNext(int count, int retryAfterSeconds)
    {
        lock (_lock)
        {
            _rateLimitedRemaining = count;
            _retryAfterSeconds = retryAfterSeconds;
        }
    }

    /// <summary>Down: every request gets 503 until <see cref="SetDown"/>(false).</summary>
    public void SetDown(bool down)
    {
        lock (_lock)
        {
            _isDown = down;
        }
    }

    public Task WaitForAcceptedAsync(int count, TimeSpan timeout, string? path = null) =>
        _changes.WaitForAsync(() => _accepted.Count(m => path is null || m.Path == path) >= count, timeout, $"{count} accepted message(s){(path is null ? "" : " at " + path)}", State);

    /// <summary>Completes once <paramref name="count"/> accepted messages match <paramref name="match"/>.</summary>
    public Task WaitForAcceptedAsync(Func<FakeChatMessage, bool> match, int count, TimeSpan timeout) =>
        _changes.WaitForAsync(() => _accepted.Count(match) >= count, timeout, $"{count} matching accepted message(s)", State);

    public Task WaitForAnswersAsync(int count, TimeSpan timeout) =>
        _changes.WaitForAsync(() => _answers.Count >= count, timeout, $"{count} request(s)", State);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        FakeChatReply reply;
        JsonObject? accepted = null;
        lock (_lock)
        {
            if (_isDown)
            {
                reply = _down;
            }
            else if (_rateLimitedRemaining > 0)
            {
                _rateLimitedRemaining--;
                reply = _rateLimited(_retryAfterSeconds);
            }
            else
            {
                (reply, accepted) = _handle(context.Request, body);
                if (accepted is not null)
                {
                    _accepted.Add(new FakeChatMessage(context.Request.Path.Value ?? "", accepted, Encoding.UTF8.GetString(body)));
                }
            }

            _answers.Add(reply.Status);
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (reply.Body.Length > 0 || reply.Status != 204)
        {
            context.Response.ContentType = reply.ContentType;
            await context.Response.WriteAsync(reply.Body);
        }

        lock (_lock)
        {
            _changes.Signal();
        }
    }

    // What it has so far, for a wait's timeout message; called under the lock.
    private string State() => $"answers so far: {string.Join(", ", _answers)}";
}
