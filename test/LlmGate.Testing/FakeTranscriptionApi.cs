using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LlmGate.Testing;

/// <summary>
/// OpenAI's <c>/audio/transcriptions</c> and <c>/audio/translations</c> as <see cref="FakeUpstream"/> serves them. The
/// multipart form is read as OpenAI reads it, but the file is only counted and hashed as it streams (never held), so a
/// test can send tens of megabytes and still check that every byte arrived. The recorded body is the form's fields as
/// JSON (a repeated field as an array) with <c>"file": {"filename", "content_type", "bytes", "sha256"}</c>.
/// </summary>
public static class FakeTranscriptionApi
{
    /// <summary>What the fake hears per second of audio: 16 kHz, 16-bit mono PCM.</summary>
    public const int BytesPerSecond = 32_000;

    public static bool Serves(string kind) => kind is "transcriptions" or "translations";

    /// <summary>The text a transcription (or translation) of any audio gives.</summary>
    public static string TextOf(string kind) => kind == "translations" ? "Hello from the fake translation." : "Hello from the fake transcription.";

    /// <summary>The whole seconds the fake says it heard in a file of this many bytes (at least 1), as whisper-1's <c>usage.seconds</c>.</summary>
    public static int SecondsOf(long bytes) => (int)Math.Max(1, Math.Ceiling(bytes / (double)BytesPerSecond));

    /// <summary>The form read; <c>Error</c> is OpenAI's message when it is not a multipart form with a file.</summary>
    public static async Task<(JsonObject? Fields, string? Error)> ReadFormAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"Invalid Content-Type header ({context.Request.ContentType}), expected multipart/form-data. (HINT: If you're using curl, you can pass -H 'Content-Type: multipart/form-data')");
        }

        var fields = new JsonObject();
        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(type.Boundary).ToString(), context.Request.Body);
        while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
            if (disposition.IsFileDisposition())
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[64 * 1024];
                long length = 0;
                int read;
                while ((read = await section.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    length += read;
                }

                fields[name] = new JsonObject
                {
                    ["filename"] = HeaderUtilities.RemoveQuotes(disposition.FileName).ToString(),
                    ["content_type"] = section.ContentType,
                    ["bytes"] = length,
                    ["sha256"] = Convert.ToHexStringLower(hash.GetHashAndReset()),
                };
                continue;
            }

            using var text = new StreamReader(section.Body, Encoding.UTF8);
            var value = await text.ReadToEndAsync(context.RequestAborted);
            fields[name] = fields[name] switch
            {
                null => value,
                JsonArray values => Append(values, value),
                var first => new JsonArray(first.DeepClone(), value),
            };
        }

        if (fields["file"] is not JsonObject)
        {
            return (fields, "Missing required parameter: 'file'.");
        }

        return fields["model"] is null ? (fields, "you must provide a model parameter") : (fields, null);
    }

    /// <summary>OpenAI's answer for the request's <c>response_format</c> (<c>json</c> by default), or its event stream when <c>stream</c> is "true".</summary>
    public static async Task AnswerAsync(HttpContext context, string kind, JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var text = TextOf(kind);
        var seconds = SecondsOf((long?)request["file"]?["bytes"] ?? 0);
        var tokens = ((string?)request["model"] ?? "").StartsWith("gpt-4o", StringComparison.Ordinal);
        if ((string?)request["stream"] == "true")
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var word in text.Split(' '))
            {
                await context.Response.WriteAsync($"data: {new JsonObject { ["type"] = "transcript.text.delta", ["delta"] = word + " " }.ToJsonString()}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            await context.Response.WriteAsync($"data: {new JsonObject { ["type"] = "transcript.text.done", ["text"] = text, ["usage"] = Usage(true, seconds) }.ToJsonString()}\n\n", context.RequestAborted);
            return;
        }

        switch ((string?)request["response_format"] ?? "json")
        {
            case "text":
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(text + "\n", context.RequestAborted);
                break;
            case "srt":
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"1\n00:00:00,000 --> 00:00:0{Math.Min(seconds, 9)},000\n{text}\n\n", context.RequestAborted);
                break;
            case "verbose_json":
                await context.Response.WriteAsync(new JsonObject
                {
                    ["task"] = kind == "translations" ? "translate" : "transcribe",
                    ["language"] = "english",
                    ["duration"] = (double)seconds,
                    ["text"] = text,
                    ["segments"] = new JsonArray(new JsonObject { ["id"] = 0, ["start"] = 0.0, ["end"] = (double)seconds, ["text"] = text }),
                }.ToJsonString(), context.RequestAborted);
                break;
            default:
                await context.Response.WriteAsync(new JsonObject { ["text"] = text, ["usage"] = Usage(tokens, seconds) }.ToJsonString(), context.RequestAborted);
                break;
        }
    }

    // whisper-1 reports the seconds it heard; gpt-4o-transcribe its tokens (ten audio tokens per second here).
    private static JsonObject Usage(bool tokens, int seconds) => tokens
        ? new JsonObject
        {
            ["type"] = "tokens",
            ["input_tokens"] = seconds * 10,
            ["input_token_details"] = new JsonObject { ["audio_tokens"] = seconds * 10, ["text_tokens"] = 0 },
            ["output_tokens"] = 7,
            ["total_tokens"] = (seconds * 10) + 7,
        }
        : new JsonObject { ["type"] = "duration", ["seconds"] = seconds };

    private static JsonArray Append(JsonArray values, string value)
    {
        values.Add(value);
        return values;
    }
}
