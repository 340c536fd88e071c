namespace LlmGate.Testing;

/// <summary>What a fake chat webhook answers: a status, a body of a content type, and a Retry-After in seconds when set.</summary>
public sealed record FakeChatReply(int Status, string ContentType, string Body, string? RetryAfter = null)
{
    public static FakeChatReply Text(int status, string body, string? retryAfter = null) => new(status, "text/plain; charset=utf-8", body, retryAfter);

    public static FakeChatReply Json(int status, string body, string? retryAfter = null) => new(status, "application/json", body, retryAfter);
}
