using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;

namespace LlmGate.Providers.Responses;

/// <summary>
/// A Responses API <c>response</c> object as the bridge builds it from a chat answer or stream, and its JSON. The fields
/// that echo the request (instructions, tools, temperature ...) are written with the API's defaults: the bridge
/// translates the answer alone, and the OpenAI SDKs require the fields to be there.
/// </summary>
internal sealed class ResponseDraft(string id, long createdAt, string model)
{
    public string Id { get; } = id;

    public long CreatedAt { get; } = createdAt;

    public string Model { get; } = model;

    /// <summary><c>in_progress</c>, <c>completed</c>, <c>incomplete</c> or <c>failed</c>.</summary>
    public string Status { get; set; } = "in_progress";

    /// <summary>With <c>incomplete</c>: <c>max_output_tokens</c> or <c>content_filter</c>.</summary>
    public string? IncompleteReason { get; set; }

    public (string Code, string Message)? Error { get; set; }

    public List<ResponseOutputItem> Output { get; } = [];

    public ChatUsage? Usage { get; set; }

    /// <summary>A chat id without chat's prefix, for the ids of the response and its items.</summary>
    public static string IdSuffix(string? chatId) =>
        chatId is null ? ProviderJson.NewId("")
        : chatId.StartsWith("chatcmpl-", StringComparison.Ordinal) ? chatId["chatcmpl-".Length..]
        : chatId;

    /// <summary>Sets the status a chat <c>finish_reason</c> means, on the response and on its items not yet done.</summary>
    public void Finish(string? finishReason)
    {
        IncompleteReason = finishReason switch
        {
            "length" => "max_output_tokens",
            "content_filter" => "content_filter",
            _ => null,
        };
        Status = IncompleteReason is null ? "completed" : "incomplete";
        foreach (var item in Output.Where(item => item.Status == "in_progress"))
        {
            item.Status = Status;
        }
    }

    /// <summary>Chat's <c>usage</c> object (absent: null).</summary>
    public static ChatUsage? ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var prompt = ProviderJson.Number(usage, "prompt_tokens");
        var completion = ProviderJson.Number(usage, "completion_tokens");
        var total = ProviderJson.Number(usage, "total_tokens");
        return new ChatUsage(
            prompt,
            completion,
            total > 0 ? total : prompt + completion,
            ProviderJson.Number(ProviderJson.Property(usage, "prompt_tokens_details"), "cached_tokens"),
            ProviderJson.Number(ProviderJson.Property(usage, "completion_tokens_details"), "reasoning_tokens"));
    }

    public byte[] ToUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            Write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("object", "response");
        writer.WriteNumber("created_at", CreatedAt);
        writer.WriteString("status", Status);
        writer.WriteBoolean("background", false);
        if (Error is var (code, message))
        {
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("error");
        }

        if (IncompleteReason is not null)
        {
            writer.WriteStartObject("incomplete_details");
            writer.WriteString("reason", IncompleteReason);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("incomplete_details");
        }

        writer.WriteNull("instructions");
        writer.WriteNull("max_output_tokens");
        writer.WriteString("model", Model);
        writer.WriteStartArray("output");
        foreach (var item in Output)
        {
            item.Write(writer);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("parallel_tool_calls", true);
        writer.WriteNull("previous_response_id");
        writer.WriteStartObject("reasoning");
        writer.WriteNull("effort");
        writer.WriteNull("summary");
        writer.WriteEndObject();
        writer.WriteBoolean("store", false);
        writer.WriteNumber("temperature", 1);
        writer.WriteStartObject("text");
        writer.WriteStartObject("format");
        writer.WriteString("type", "text");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("tool_choice", "auto");
        writer.WriteStartArray("tools");
        writer.WriteEndArray();
        writer.WriteNumber("top_p", 1);
        writer.WriteString("truncation", "disabled");
        if (Usage is { } usage)
        {
            WriteUsage(writer, usage);
        }
        else
        {
            writer.WriteNull("usage");
        }

        writer.WriteNull("user");
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter writer, ChatUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.PromptTokens);
        writer.WriteStartObject("input_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedTokens);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens", usage.CompletionTokens);
        writer.WriteStartObject("output_tokens_details");
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteEndObject();
    }
}
