using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// A Microsoft Teams Workflows webhook on 127.0.0.1 (<c>/workflows/{id}/triggers/manual/paths/invoke?sig=…</c>): a
/// wrong id or signature is 401. Takes a message as the "post to a channel when a webhook request is received" flow
/// does (type <c>message</c>, one Adaptive Card attachment with a version and a body) and answers 202 Accepted; else
/// 400 with the flow's error JSON.
/// </summary>
public sealed class FakeTeams : IAsyncDisposable
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";
    private FakeChatWebhook _server = null!;

    private FakeTeams()
    {
        WorkflowId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Signature = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }

    public string WorkflowId { get; }

    public string Signature { get; }

    public FakeChatWebhook Server => _server;

    public Uri WebhookUrl => new(_server.Root, $"/workflows/{WorkflowId}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={Signature}");

    public IReadOnlyList<FakeChatMessage> Accepted => _server.Accepted;

    public static async Task<FakeTeams> StartAsync()
    {
        var fake = new FakeTeams();
        fake._server = await FakeChatWebhook.StartAsync(
            "/workflows/{id}/triggers/manual/paths/invoke",
            fake.Handle,
            retryAfter => FakeChatReply.Json(429, """{"error":{"code":"WorkflowTriggeredTooFrequently","message":"Rate limit reached."}}""", retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            FakeChatReply.Json(503, """{"error":{"code":"ServiceUnavailable","message":"The service is unavailable."}}"""));
        return fake;
    }

    public void RateLimitNext(int count, int retryAfterSeconds) => _server.RateLimitNext(count, retryAfterSeconds);

    public void SetDown(bool down) => _server.SetDown(down);

    public Task WaitForAcceptedAsync(int count, TimeSpan timeout) => _server.WaitForAcceptedAsync(count, timeout);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>The flow's check of a message: null when it takes it, else what is wrong.</summary>
    public static string? Validate(string? contentType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return "The request content type must be application/json.";
        }

        JsonObject? message;
        try
        {
            message = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return "The request body is not valid JSON.";
        }

        if (message is null || Str(message["type"]) != "message")
        {
            return "'type' must be 'message'.";
        }

        if (message["attachments"] is not JsonArray { Count: 1 } attachments || attachments[0] is not JsonObject attachment)
        {
            return "'attachments' must hold one card.";
        }

        if (Str(attachment["contentType"]) != CardContentType)
        {
            return $"'attachments[0].contentType' must be '{CardContentType}'.";
        }

        if (attachment["content"] is not JsonObject card || Str(card["type"]) != "AdaptiveCard" || Str(card["version"]) is not { Length: > 0 })
        {
            return "'attachments[0].content' must be an AdaptiveCard with a version.";
        }

        if (card["body"] is not JsonArray { Count: > 0 } items || !items.All(i => i is JsonObject o && Str(o["type"]) is { Length: > 0 }))
        {
            return "The AdaptiveCard must have a body of typed elements.";
        }

        if (card["actions"] is JsonArray actions && !actions.All(a => a is JsonObject o && Str(o["type"]) == "Action.OpenUrl" && Uri.TryCreate(Str(o["url"]), UriKind.Absolute, out _)))
        {
            return "Every action must be an Action.OpenUrl with an absolute url.";
        }

        return body.Length > 28 * 1024 ? "The message is over 28 KB." : null;
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private (FakeChatReply, JsonObject?) Handle(HttpRequest request, byte[] body)
    {
        if (request.RouteValues["id"] as string != WorkflowId || request.Query["sig"] != Signature)
        {
            return (FakeChatReply.Json(401, """{"error":{"code":"DirectApiAuthorizationRequired","message":"The request must be authenticated."}}"""), null);
        }

        if (Validate(request.ContentType, body) is { } error)
        {
            var rejection = new JsonObject { ["error"] = new JsonObject { ["code"] = "InvalidRequestContent", ["message"] = error } };
            return (FakeChatReply.Json(400, rejection.ToJsonString()), null);
        }

        return (FakeChatReply.Text(202, ""), (JsonObject)JsonNode.Parse(body)!);
    }
}
