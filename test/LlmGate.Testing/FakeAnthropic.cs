using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Anthropic's Messages API on 127.0.0.1, as strict as the real one where the gateway could go wrong: the key must come
/// as <c>x-api-key</c> with an <c>anthropic-version</c>, <c>max_tokens</c> is required, unknown fields are refused,
/// roles are user and assistant only, and a body that is not JSON is a 400 (never an exception). Answers text, a tool
/// call when tools are offered, and text again once a <c>tool_result</c> arrives; streams as Anthropic does, each event
/// split across two writes. (The same Messages API behind Vertex AI is <see cref="FakeGemini"/>'s <c>rawPredict</c>.)
/// </summary>
public sealed class FakeAnthropic : IAsyncDisposable
{
    private readonly string _apiKey;
    private readonly ReceivedRequestLog _received = new(TimeProvider.System);
    private WebApplication _app = null!;

    private FakeAnthropic(string apiKey)
    {
        _apiKey = apiKey;
    }

    /// <summary>The <c>api_base</c> to configure: the server root, as <c>https://api.anthropic.com</c>.</summary>
    public Uri ApiBase { get; private set; } = null!;

    /// <summary>When set, requests get this status with Anthropic's error body of the matching type.</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>When set, a stream is cut by an <c>error</c> event of this type after its first text delta.</summary>
    public string? StreamErrorType { get; set; }

    /// <summary>The <c>request-id</c> header of every answer.</summary>
    public string RequestId { get; } = "req_fake_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A slow upstream: each answer starts this long after the request arrived (real time).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>When set, a stream sends its <c>message_start</c> and then waits for this before the rest.</summary>
    public TaskCompletionSource? HoldStreamAfterFirstEvent { get; set; }

    /// <summary>Path and query of each request, its Authorization header, body and headers.</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received.Received;

    public static async Task<FakeAnthropic> StartAsync(string apiKey)
    {
        var fake = new FakeAnthropic(apiKey);
        (fake._app, fake.ApiBase) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/messages", fake.HandleAsync);
            app.MapPost("/v1/messages/count_tokens", fake.CountTokensAsync);
        });
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // Anthropic's token count, faked: one token per word of the request's JSON text.
    private async Task CountTokensAsync(HttpContext context)
    {
        var received = await _received.RecordAsync(context);
        if (context.Request.Headers["x-api-key"].ToString() != _apiKey)
        {
            await AnthropicMessages.ErrorAsync(context, 401, "authentication_error", "invalid x-api-key");
            return;
        }

        await context.Response.WriteAsJsonAsync(new { input_tokens = received.Body.Split(' ', '"').Length });
    }

    private async Task HandleAsync(HttpContext context)
    {
        var received = await _received.RecordAsync(context);
        // As Anthropic's: the id a client quotes to its support, and the limits it paces by.
        context.Response.Headers["request-id"] = RequestId;
        context.Response.Headers["anthropic-ratelimit-requests-remaining"] = "49";
        if (context.Request.Headers["x-api-key"].ToString() != _apiKey)
        {
            await AnthropicMessages.ErrorAsync(context, 401, "authentication_error", "invalid x-api-key");
            return;
        }

        if (string.IsNullOrEmpty(context.Request.Headers["anthropic-version"]))
        {
            await AnthropicMessages.ErrorAsync(context, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }

        if (AnthropicMessages.Parse(received.Body, out var notJson) is not { } request)
        {
            await AnthropicMessages.ErrorAsync(context, 400, "invalid_request_error", notJson);
            return;
        }

        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, context.RequestAborted);
        }

        if (FailWithStatus is { } status)
        {
            await AnthropicMessages.FailAsync(context, status);
            return;
        }

        if (AnthropicMessages.Validate(request, AnthropicDialect.Direct) is { } invalid)
        {
            await AnthropicMessages.ErrorAsync(context, 400, "invalid_request_error", invalid);
            return;
        }

        await AnthropicMessages.AnswerAsync(context, request, request["model"]!.GetValue<string>(), StreamErrorType, HoldStreamAfterFirstEvent?.Task);
    }
}
