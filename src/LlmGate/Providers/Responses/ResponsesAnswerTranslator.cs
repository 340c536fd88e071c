using System.Text.Json;
using static LlmGate.Providers.ProviderJson;

namespace LlmGate.Providers.Responses;

/// <summary>
/// Turns a chat completion into a Responses API <c>response</c>: a reasoning item (from <c>reasoning_content</c>),
/// a message item with the text, then one function_call item per tool call; the finish reason as the status.
/// </summary>
internal static class ResponsesAnswerTranslator
{
    public static byte[] FromChatCompletion(ReadOnlySpan<byte> chatCompletion)
    {
        using var document = JsonDocument.Parse(chatCompletion.ToArray());
        var chat = document.RootElement;
        var chatId = String(chat, "id");
        var suffix = ResponseDraft.IdSuffix(chatId);
        var created = Property(chat, "created").ValueKind == JsonValueKind.Number
            ? Number(chat, "created")
            : TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var response = new ResponseDraft("resp_" + (chatId ?? suffix), created, String(chat, "model") ?? "");
        var choice = Property(chat, "choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0 ? choices[0] : default;
        var message = Property(choice, "message");
        if (String(message, "reasoning_content") is { Length: > 0 } reasoning)
        {
            var item = new ResponseOutputItem(ResponseItemKind.Reasoning, "rs_" + suffix);
            item.Text.Append(reasoning);
            response.Output.Add(item);
        }

        if (Text(Property(message, "content")) is { Length: > 0 } text)
        {
            var item = new ResponseOutputItem(ResponseItemKind.Message, "msg_" + suffix);
            item.Text.Append(text);
            response.Output.Add(item);
        }

        if (Property(message, "tool_calls") is { ValueKind: JsonValueKind.Array } toolCalls)
        {
            var index = 0;
            foreach (var call in toolCalls.EnumerateArray())
            {
                var callId = String(call, "id") ?? $"call_{suffix}_{index}";
                var function = Property(call, "function");
                var item = new ResponseOutputItem(ResponseItemKind.FunctionCall, "fc_" + callId) { CallId = callId, Name = String(function, "name") ?? "" };
                item.Arguments.Append(Arguments(Property(function, "arguments")));
                response.Output.Add(item);
                index++;
            }
        }

        response.Finish(String(choice, "finish_reason"));
        response.Usage = ResponseDraft.ReadUsage(Property(chat, "usage"));
        return response.ToUtf8();
    }

    // Chat content is a string, or (from some providers) a list of text parts.
    private static string? Text(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var text = new System.Text.StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            text.Append(String(part, "text"));
        }

        return text.ToString();
    }
}
