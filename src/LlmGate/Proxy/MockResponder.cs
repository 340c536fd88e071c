using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Proxy;

/// <summary>
/// LiteLLM's <c>mock_response</c>: answers in OpenAI's shape without calling any upstream, streamed or not,
/// so a gateway can be tried on a machine with no key and no network.
/// </summary>
internal sealed class MockResponder(TimeProvider timeProvider)
{
    /// <summary>LiteLLM's mock reports the same fixed usage for every answer.</summary>
    private static readonly TokenUsage MockUsage = new(10, 20);

    /// <summary>Writes the mock answer; returns its usage, as a real answer's would be read.</summary>
    /// <param name="includeUsage">The stream ends with a usage chunk (<c>stream_options.include_usage</c>), as a real one would.</param>
    public async Task<TokenUsage> WriteAsync(HttpContext context, ProxyEndpointKind kind, string model, string text, bool stream, bool includeUsage = false)
    {
        var response = context.Response;
        var id = (kind == ProxyEndpointKind.ChatCompletions ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N");
        var created = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (Providers.MediaEndpoints.IsMedia(kind))
        {
            var (contentType, body) = MediaMockAnswers.For(kind, model, text, created);
            response.ContentType = contentType;
            await response.Body.WriteAsync(body, context.RequestAborted);
            return new TokenUsage(0, 0);
        }

        if (kind == ProxyEndpointKind.Embeddings)
        {
            response.ContentType = "application/json";
            await response.Body.WriteAsync(Embedding(model), context.RequestAborted);
            return MockUsage;
        }

        if (!stream)
        {
            response.ContentType = "application/json";
            await response.Body.WriteAsync(Completion(kind, id, created, model, text), context.RequestAborted);
            return MockUsage;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var pieces = Split(text);
        for (var i = 0; i <= pieces.Count; i++)
        {
            var chunk = Chunk(kind, id, created, model, i < pieces.Count ? pieces[i] : null, i == 0);
            await response.Body.WriteAsync(chunk, context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }

        if (includeUsage)
        {
            await response.Body.WriteAsync(UsageChunk(kind, id, created, model), context.RequestAborted);
        }

        await response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), context.RequestAborted);
        return MockUsage;
    }

    private static byte[] UsageChunk(ProxyEndpointKind kind, string id, long created, string model)
    {
        var json = Json(writer =>
        {
            writer.WriteString("id", id);
            writer.WriteString("object", kind == ProxyEndpointKind.ChatCompletions ? "chat.completion.chunk" : "text_completion");
            writer.WriteNumber("created", created);
            writer.WriteString("model", model);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            WriteUsage(writer);
        });
        return [.. "data: "u8, .. json, .. "\n\n"u8];
    }

    // Word by word, keeping the spaces, as a model would stream it.
    private static List<string> Split(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        }

        return pieces;
    }

    private static byte[] Completion(ProxyEndpointKind kind, string id, long created, string model, string text) =>
        Json(writer =>
        {
            WriteChoiceStart(writer, id, kind == ProxyEndpointKind.ChatCompletions ? "chat.completion" : "text_completion", created, model);
            if (kind == ProxyEndpointKind.ChatCompletions)
            {
                writer.WriteStartObject("message");
                writer.WriteString("role", "assistant");
                writer.WriteString("content", text);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString("text", text);
            }

            writer.WriteString("finish_reason", "stop");
            writer.WriteEndObject();
            writer.WriteEndArray();
            WriteUsage(writer);
        });

    private static byte[] Chunk(ProxyEndpointKind kind, string id, long created, string model, string? piece, bool first)
    {
        var json = Json(writer =>
        {
            WriteChoiceStart(writer, id, kind == ProxyEndpointKind.ChatCompletions ? "chat.completion.chunk" : "text_completion", created, model);
            if (kind == ProxyEndpointKind.ChatCompletions)
            {
                writer.WriteStartObject("delta");
                if (first)
                {
                    writer.WriteString("role", "assistant");
                }

                if (piece is not null)
                {
                    writer.WriteString("content", piece);
                }

                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString("text", piece ?? "");
            }

            if (piece is null)
            {
                writer.WriteString("finish_reason", "stop");
            }
            else
            {
                writer.WriteNull("finish_reason");
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
        });
        return [.. "data: "u8, .. json, .. "\n\n"u8];
    }

    private static byte[] Embedding(string model) =>
        Json(writer =>
        {
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            writer.WriteStartObject();
            writer.WriteString("object", "embedding");
            writer.WriteNumber("index", 0);
            writer.WriteStartArray("embedding");
            for (var i = 0; i < 8; i++)
            {
                writer.WriteNumberValue(0.125 * i);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("model", model);
            WriteUsage(writer);
        });

    // The envelope every completion and chunk shares, up to the first choice's index.
    private static void WriteChoiceStart(Utf8JsonWriter writer, string id, string objectType, long created, string model)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", objectType);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
    }

    private static void WriteUsage(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", MockUsage.PromptTokens);
        writer.WriteNumber("completion_tokens", MockUsage.CompletionTokens);
        writer.WriteNumber("total_tokens", MockUsage.TotalTokens);
        writer.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
