using System.Net;
using System.Text.Json;

namespace LlmGate.Tests.Keys.Management;

/// <summary>An HTTP answer: its status, its text, and the text as JSON.</summary>
internal sealed record Reply(HttpStatusCode Status, string Text)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement;

    public string ErrorMessage => Json.GetProperty("error").GetProperty("message").GetString()!;

    public string ErrorType => Json.GetProperty("error").GetProperty("type").GetString()!;
}
