using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmGate.OpenAi;

/// <summary>How the gateway writes its own JSON: readable text (no \u0027 for quotes), as OpenAI and PagerDuty do.</summary>
internal static class GatewayJson
{
    // Safe here: every body is served as application/json, never embedded in HTML.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
