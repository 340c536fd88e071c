using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers.Cloudflare;

/// <summary>
/// Turns Workers AI's answer (<c>{"result":{"response","tool_calls"?,"usage"?},"success":true,…}</c>) into an OpenAI
/// <c>chat.completion</c>. Workers AI names neither the answer nor, always, its tool calls, and gives no finish reason:
/// ids are made, and the reason is <c>tool_calls</c> when it called one, else <c>stop</c>.
/// </summary>
internal static class CloudflareResponseTranslator
{
    /// <param name="model">The model the client is told, as it asked for it.</param>
    /// <exception cref="JsonException">The body is not a Workers AI result.</exception>
    public static byte[] Translate(ReadOnlySpan<byte> cloudflareBody, string model, long created, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(cloudflareBody.ToArray());
        var result = ProviderJson.Property(document.RootElement, "result");
        if (result.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body is not a Workers AI answer: it has no 'result' object.");
        }

        var calls = ToolCalls(result);
        var chatUsage = Usage(result) ?? default;
        usage = chatUsage.ToTokenUsage();
        var choice = new ChatChoice(0, Response(result) is { Length: > 0 } text ? text : null, null, calls,
            FinishReason(ProviderJson.String(result, "finish_reason"), calls.Count > 0));
        return ChatCompletionWriter.Write(ProviderJson.NewId("chatcmpl-"), model, created, [choice], chatUsage, cloudflareBody.Length + 256);
    }

    /// <summary>The generated text: a string, or (in JSON mode, on some models) the JSON value itself, as text.</summary>
    public static string? Response(JsonElement result) => ProviderJson.Property(result, "response") switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Object or JsonValueKind.Array } json => ProviderJson.Compact(json),
        _ => null,
    };

    /// <summary>
    /// The tool calls in either of Workers AI's shapes: OpenAI's <c>{id, type, function{name, arguments}}</c>, or the
    /// older <c>{name, arguments}</c> with the arguments as an object and no id (one is made).
    /// </summary>
    public static List<ChatToolCall> ToolCalls(JsonElement result)
    {
        var calls = new List<ChatToolCall>();
        if (ProviderJson.Property(result, "tool_calls") is not { ValueKind: JsonValueKind.Array } list)
        {
            return calls;
        }

        foreach (var call in list.EnumerateArray())
        {
            var function = ProviderJson.Property(call, "function") is { ValueKind: JsonValueKind.Object } inner ? inner : call;
            calls.Add(new ChatToolCall(
                ProviderJson.String(call, "id") ?? ProviderJson.NewId("call_"), ProviderJson.String(function, "name"), ProviderJson.Arguments(ProviderJson.Property(function, "arguments"))));
        }

        return calls;
    }

    /// <summary><c>result.usage</c> (OpenAI's names already); null when Workers AI sent none.</summary>
    public static ChatUsage? Usage(JsonElement result)
    {
        if (ProviderJson.Property(result, "usage") is not { ValueKind: JsonValueKind.Object } usage)
        {
            return null;
        }

        var prompt = ProviderJson.Number(usage, "prompt_tokens");
        var completion = ProviderJson.Number(usage, "completion_tokens");
        return new ChatUsage(prompt, completion, ProviderJson.Number(usage, "total_tokens") is > 0 and var total ? total : prompt + completion);
    }

    /// <summary>A finish reason some models give in OpenAI's words; otherwise what the answer shows.</summary>
    public static string FinishReason(string? reported, bool calledTools) => reported switch
    {
        "length" => "length",
        _ when calledTools => "tool_calls",
        _ => "stop",
    };
}
