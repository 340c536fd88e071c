using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Discord's webhooks on 127.0.0.1: <c>/api/webhooks/{id}/{token}</c> (and its <c>/slack</c> form, which takes Slack's
/// format). An unknown id is 404 "Unknown Webhook", a wrong token 401 "Invalid Webhook Token". Checks a message's
/// limits as Discord does and answers 400 <c>{"message": "Invalid Form Body", "code": 50035}</c>; an accepted one is
/// 200 with the message when <c>wait=true</c>, else 204. Rate limits answer 429 with <c>retry_after</c> in the body
/// and, unless <see cref="RetryAfterHeader"/> is off, the Retry-After header.
/// </summary>
public sealed class FakeDiscord : IAsyncDisposable
{
    private FakeChatWebhook _server = null!;

    private FakeDiscord()
    {
        WebhookId = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        Token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }

    public string WebhookId { get; }

    public string Token { get; }

    public FakeChatWebhook Server => _server;

    /// <summary>The webhook's URL (Discord's own format).</summary>
    public Uri WebhookUrl => new(_server.Root, $"/api/webhooks/{WebhookId}/{Token}");

    /// <summary>The same webhook taking Slack's format.</summary>
    public Uri SlackCompatibleUrl => new(_server.Root, $"/api/webhooks/{WebhookId}/{Token}/slack");

    /// <summary>Whether a 429 carries the Retry-After header, or only the body's <c>retry_after</c>.</summary>
    public bool RetryAfterHeader { get; set; } = true;

    public IReadOnlyList<FakeChatMessage> Accepted => _server.Accepted;

    public static async Task<FakeDiscord> StartAsync()
    {
        var fake = new FakeDiscord();
        fake._server = await FakeChatWebhook.StartAsync(
            "/api/webhooks/{id}/{token}/{**rest}",
            fake.Handle,
            retryAfter => FakeChatReply.Json(
                429,
                $$"""{"message":"You are being rate limited.","retry_after":{{retryAfter}}.0,"global":false}""",
                fake.RetryAfterHeader ? retryAfter.ToString(CultureInfo.InvariantCulture) : null),
            FakeChatReply.Json(503, """{"message":"Service Unavailable","code":0}"""));
        return fake;
    }

    public void RateLimitNext(int count, int retryAfterSeconds) => _server.RateLimitNext(count, retryAfterSeconds);

    public void SetDown(bool down) => _server.SetDown(down);

    public Task WaitForAcceptedAsync(int count, TimeSpan timeout) => _server.WaitForAcceptedAsync(count, timeout);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Discord's check of a message's form: empty when it takes it.</summary>
    public static List<string> Validate(JsonObject? message)
    {
        var errors = new List<string>();
        if (message is null)
        {
            errors.Add("body: must be a JSON object");
            return errors;
        }

        var content = Str(message["content"]);
        var embeds = message["embeds"] as JsonArray;
        if (string.IsNullOrEmpty(content) && (embeds is null || embeds.Count == 0))
        {
            errors.Add("Cannot send an empty message (code 50006)");
        }

        if (content is { Length: > 2000 })
        {
            errors.Add("content: Must be 2000 or fewer in length.");
        }

        if (Str(message["username"]) is { } username && (username.Length is 0 or > 80 || username.Contains("discord", StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add("username: Username cannot contain \"discord\" and must be 1-80 characters.");
        }

        if (embeds is { Count: > 10 })
        {
            errors.Add("embeds: Must be 10 or fewer in length.");
        }

        var total = 0;
        foreach (var embed in embeds?.OfType<JsonObject>() ?? [])
        {
            total += Limit(errors, "embeds.title", Str(embed["title"]), 256);
            total += Limit(errors, "embeds.description", Str(embed["description"]), 4096);
            total += Limit(errors, "embeds.footer.text", Str((embed["footer"] as JsonObject)?["text"]), 2048);
            if (embed["color"] is JsonValue color && (color.GetValueKind() != JsonValueKind.Number || color.GetValue<double>() is < 0 or > 0xFFFFFF))
            {
                errors.Add("embeds.color: Color must be between 0 and 16777215.");
            }

            if (Str(embed["timestamp"]) is { } timestamp && !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, out _))
            {
                errors.Add("embeds.timestamp: Could not parse the timestamp.");
            }

            var fields = embed["fields"] as JsonArray ?? [];
            if (fields.Count > 25)
            {
                errors.Add("embeds.fields: Must be 25 or fewer in length.");
            }

            foreach (var field in fields.OfType<JsonObject>())
            {
                var name = Str(field["name"]);
                var value = Str(field["value"]);
                if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(value))
                {
                    errors.Add("embeds.fields: name and value are required.");
                }

                total += Limit(errors, "embeds.fields.name", name, 256) + Limit(errors, "embeds.fields.value", value, 1024);
            }
        }

        if (total > 6000)
        {
            errors.Add("embeds: Embed size exceeds maximum size of 6000");
        }

        return errors;
    }

    private static int Limit(List<string> errors, string name, string? text, int max)
    {
        if (text is { } t && t.Length > max)
        {
            errors.Add($"{name}: Must be {max} or fewer in length.");
        }

        return text?.Length ?? 0;
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private (FakeChatReply, JsonObject?) Handle(HttpRequest request, byte[] body)
    {
        var id = request.RouteValues["id"] as string;
        var token = request.RouteValues["token"] as string;
        var rest = request.RouteValues["rest"] as string ?? "";
        if (id != WebhookId)
        {
            return (FakeChatReply.Json(404, """{"message":"Unknown Webhook","code":10015}"""), null);
        }

        if (token != Token || rest is not ("" or "slack"))
        {
            return (FakeChatReply.Json(401, """{"message":"Invalid Webhook Token","code":50027}"""), null);
        }

        if (rest == "slack")
        {
            return FakeSlack.Validate(request.ContentType, body) is { } slackError
                ? (FakeChatReply.Json(400, $$"""{"message":"{{slackError}}","code":50035}"""), null)
                : (FakeChatReply.Text(200, "ok"), (JsonObject)JsonNode.Parse(body)!);
        }

        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (FakeChatReply.Json(400, """{"message":"Cannot send an empty message","code":50006}"""), null);
        }

        JsonObject? message;
        try
        {
            message = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            message = null;
        }

        var errors = Validate(message);
        if (errors.Count > 0)
        {
            var rejection = new JsonObject
            {
                ["message"] = "Invalid Form Body",
                ["code"] = 50035,
                ["errors"] = new JsonObject { ["_errors"] = new JsonArray([.. errors.Select(e => (JsonNode)JsonValue.Create(e))]) },
            };
            return (FakeChatReply.Json(400, rejection.ToJsonString()), null);
        }

        if (request.Query["wait"] == "true")
        {
            var echo = new JsonObject { ["id"] = RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture), ["type"] = 0, ["content"] = Str(message!["content"]) ?? "" };
            return (FakeChatReply.Json(200, echo.ToJsonString()), message);
        }

        return (new FakeChatReply(204, "text/plain", ""), message);
    }
}
