using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Slack's incoming webhooks on 127.0.0.1: <c>/services/T…/B…/token</c> paths made by <see cref="NewWebhookUrl"/>;
/// any other path is 404 <c>no_service</c>. Checks a message as Slack does (JSON with text or blocks, the block
/// kinds and limits LlmGate uses) and answers 400 <c>invalid_payload</c> / <c>invalid_blocks</c> in plain text, as
/// Slack does; 200 <c>ok</c> when accepted. Rate limits answer 429 <c>rate_limited</c>.
/// </summary>
public sealed class FakeSlack : IAsyncDisposable
{
    public const int MaxText = 40_000;
    public const int MaxHeader = 150;
    public const int MaxSectionText = 3000;
    public const int MaxFieldText = 2000;
    public const int MaxFields = 10;
    public const int MaxBlocks = 50;
    private static readonly string[] BlockTypes = ["header", "section", "context", "actions", "divider"];

    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private FakeChatWebhook _server = null!;

    private FakeSlack()
    {
    }

    public FakeChatWebhook Server => _server;

    /// <summary>The first webhook, made at start.</summary>
    public Uri WebhookUrl { get; private set; } = null!;

    public IReadOnlyList<FakeChatMessage> Accepted => _server.Accepted;

    public static async Task<FakeSlack> StartAsync()
    {
        var fake = new FakeSlack();
        fake._server = await FakeChatWebhook.StartAsync(
            "/services/{**path}",
            fake.Handle,
            retryAfter => FakeChatReply.Text(429, "rate_limited", retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            FakeChatReply.Text(503, "service_unavailable"));
        fake.WebhookUrl = fake.NewWebhookUrl();
        return fake;
    }

    /// <summary>Another incoming webhook, with a token of its own.</summary>
    public Uri NewWebhookUrl()
    {
        var path = $"/services/T{Id(8)}/B{Id(10)}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        lock (_lock)
        {
            _paths.Add(path);
        }

        return new Uri(_server.Root, path);
    }

    public IReadOnlyList<FakeChatMessage> AcceptedAt(Uri webhookUrl)
    {
        ArgumentNullException.ThrowIfNull(webhookUrl);
        return [.. Accepted.Where(m => m.Path == webhookUrl.AbsolutePath)];
    }

    public void RateLimitNext(int count, int retryAfterSeconds) => _server.RateLimitNext(count, retryAfterSeconds);

    public void SetDown(bool down) => _server.SetDown(down);

    public Task WaitForAcceptedAsync(int count, TimeSpan timeout, Uri? webhookUrl = null) =>
        _server.WaitForAcceptedAsync(count, timeout, webhookUrl?.AbsolutePath);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Slack's check of a message: null when it takes it, else its error (<c>invalid_payload</c>, <c>invalid_blocks</c>, <c>no_text</c>).</summary>
    public static string? Validate(string? contentType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return "invalid_payload";
        }

        JsonObject? message;
        try
        {
            message = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return "invalid_payload";
        }

        if (message is null)
        {
            return "invalid_payload";
        }

        var text = message["text"];
        if (text is not null && (text.GetValueKind() != JsonValueKind.String || text.GetValue<string>().Length > MaxText))
        {
            return "invalid_payload";
        }

        var blocks = message["blocks"];
        if (blocks is null)
        {
            return string.IsNullOrEmpty(text?.GetValue<string>()) ? "no_text" : null;
        }

        if (blocks is not JsonArray list || list.Count == 0 || list.Count > MaxBlocks)
        {
            return "invalid_blocks";
        }

        return list.All(ValidBlock) ? null : "invalid_blocks";
    }

    private static bool ValidBlock(JsonNode? block)
    {
        if (block is not JsonObject o || Str(o["type"]) is not { } type || !BlockTypes.Contains(type))
        {
            return false;
        }

        return type switch
        {
            "header" => o["text"] is JsonObject t && Str(t["type"]) == "plain_text" && Str(t["text"]) is { Length: > 0 and <= MaxHeader },
            "section" => ValidSection(o),
            "context" => o["elements"] is JsonArray e && e.Count is > 0 and <= 10 && e.All(x => ValidText(x, MaxSectionText)),
            "actions" => o["elements"] is JsonArray a && a.Count is > 0 and <= 25 && a.All(x => x is JsonObject b && Str(b["type"]) == "button" && b["text"] is JsonObject bt && Str(bt["type"]) == "plain_text" && Str(bt["text"]) is { Length: > 0 and <= 75 }),
            _ => true,
        };
    }

    private static bool ValidSection(JsonObject section)
    {
        var text = section["text"];
        var fields = section["fields"];
        if (text is null && fields is null)
        {
            return false;
        }

        if (text is not null && !ValidText(text, MaxSectionText))
        {
            return false;
        }

        return fields is null || (fields is JsonArray f && f.Count is > 0 and <= MaxFields && f.All(x => ValidText(x, MaxFieldText)));
    }

    private static bool ValidText(JsonNode? node, int max) =>
        node is JsonObject t && Str(t["type"]) is "mrkdwn" or "plain_text" && Str(t["text"]) is { Length: > 0 } s && s.Length <= max;

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string Id(int length) => Convert.ToHexString(RandomNumberGenerator.GetBytes(length))[..length];

    private (FakeChatReply, JsonObject?) Handle(HttpRequest request, byte[] body)
    {
        bool known;
        lock (_lock)
        {
            known = _paths.Contains(request.Path.Value ?? "");
        }

        if (!known)
        {
            return (FakeChatReply.Text(404, "no_service"), null);
        }

        if (Validate(request.ContentType, body) is { } error)
        {
            return (FakeChatReply.Text(400, error), null);
        }

        return (FakeChatReply.Text(200, "ok"), (JsonObject)JsonNode.Parse(body)!);
    }
}
