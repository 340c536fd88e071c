using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGate.OpenAi;
using static LlmGate.Providers.ProviderJson;

namespace LlmGate.Providers.Responses;

/// <summary>
/// Turns an OpenAI chat completion stream (SSE bytes, fed as they arrive, split anywhere) into the Responses API's
/// stream events: <c>response.created</c>, one item at a time with its deltas, then <c>response.completed</c> (or
/// <c>response.incomplete</c>) carrying the whole response. One instance per stream.
/// </summary>
internal sealed class ResponsesStreamTranslator(string model)
{
    private const string NoAnswer = "The provider ended the stream without an answer.";

    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly ArrayBufferWriter<byte> _data = new(1024);
    private readonly SortedDictionary<int, ResponseOutputItem> _toolCalls = [];
    private ResponseDraft? _response;
    private string _suffix = "";
    private ResponseOutputItem? _reasoning;
    private ResponseOutputItem? _message;
    private int _messages;
    private bool _choiceFinished;
    private int _sequence;

    /// <summary>The last event (<c>response.completed</c>, <c>.incomplete</c> or <c>.failed</c>) is written; nothing more will be.</summary>
    public bool Finished { get; private set; }

    public void Feed(ReadOnlySpan<byte> chatSse, IBufferWriter<byte> output)
    {
        while (!Finished && !chatSse.IsEmpty)
        {
            var newline = chatSse.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _line.Write(chatSse);
                return;
            }

            if (_line.WrittenCount == 0)
            {
                Line(chatSse[..newline], output);
            }
            else
            {
                _line.Write(chatSse[..newline]);
                Line(_line.WrittenSpan, output);
                _line.ResetWrittenCount();
            }

            chatSse = chatSse[(newline + 1)..];
        }
    }

    /// <summary>
    /// The chat stream ended. After a finish reason (or <c>[DONE]</c>) the response completes; a stream cut short before
    /// either fails, so a client never takes half an answer for a whole one.
    /// </summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (Finished)
        {
            return;
        }

        if (_line.WrittenCount > 0)
        {
            Line(_line.WrittenSpan, output);
            _line.ResetWrittenCount();
        }

        Line([], output);
        if (Finished)
        {
            return;
        }

        if (_choiceFinished)
        {
            WriteFinal(output);
            return;
        }

        Fail(output, "server_error", _response is null ? NoAnswer : "The provider's stream ended before the answer was complete.", writeErrorEvent: false);
    }

    private void Line(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.IsEmpty)
        {
            if (_data.WrittenCount > 0)
            {
                Dispatch(_data.WrittenMemory, output);
                _data.ResetWrittenCount();
            }
        }
        else if (line.StartsWith("data:"u8))
        {
            if (_data.WrittenCount > 0)
            {
                _data.Write("\n"u8);
            }

            line = line[5..];
            _data.Write(line.StartsWith(" "u8) ? line[1..] : line);
        }

        // Comments (": ping") and event:/id:/retry: lines carry nothing a chat stream needs.
    }

    private void Dispatch(ReadOnlyMemory<byte> data, IBufferWriter<byte> output)
    {
        if (Finished)
        {
            return;
        }

        if (data.Span.SequenceEqual("[DONE]"u8))
        {
            if (_response is null)
            {
                Fail(output, "server_error", NoAnswer, writeErrorEvent: false);
                return;
            }

            // An explicit end: a provider that sent no finish reason still finished its answer.
            if (!_choiceFinished)
            {
                FinishChoice(null, output);
            }

            WriteFinal(output);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            Fail(output, "server_error", "The provider sent a stream event that is not JSON.", writeErrorEvent: true);
            return;
        }

        using var owned = document;
        var chunk = document.RootElement;
        if (Property(chunk, "error") is { ValueKind: JsonValueKind.Object } error)
        {
            var message = String(error, "message") ?? "The provider ended the stream with an error.";
            Fail(output, ErrorCode(error), message, writeErrorEvent: true, String(error, "param"));
            return;
        }

        Start(chunk, output);
        if (ResponseDraft.ReadUsage(Property(chunk, "usage")) is { } usage)
        {
            _response!.Usage = usage;
        }

        if (!_choiceFinished && Property(chunk, "choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0)
        {
            // n > 1 has no form in the Responses API; the bridge follows the first choice.
            var choice = choices[0];
            var delta = Property(choice, "delta");
            if (String(delta, "reasoning_content") is { Length: > 0 } reasoning)
            {
                ReasoningDelta(reasoning, output);
            }

            if (String(delta, "content") is { Length: > 0 } text)
            {
                TextDelta(text, output);
            }

            if (Property(delta, "tool_calls") is { ValueKind: JsonValueKind.Array } toolCalls)
            {
                var position = 0;
                foreach (var call in toolCalls.EnumerateArray())
                {
                    ToolCallDelta(call, position++, output);
                }
            }

            if (String(choice, "finish_reason") is { } finishReason)
            {
                FinishChoice(finishReason, output);
            }
        }

        // With include_usage the usage chunk follows the finish reason; the last event waits for it.
        if (_choiceFinished && _response!.Usage is not null)
        {
            WriteFinal(output);
        }
    }

    private void Start(JsonElement chunk, IBufferWriter<byte> output)
    {
        if (_response is not null)
        {
            return;
        }

        var chatId = String(chunk, "id");
        _suffix = ResponseDraft.IdSuffix(chatId);
        var created = Property(chunk, "created").ValueKind == JsonValueKind.Number ? Number(chunk, "created") : TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        _response = new ResponseDraft("resp_" + (chatId ?? _suffix), created, model);
        WriteResponseEvent(output, "response.created");
        WriteResponseEvent(output, "response.in_progress");
    }

    private void ReasoningDelta(string text, IBufferWriter<byte> output)
    {
        if (_reasoning is null)
        {
            CloseMessage(output);
            _reasoning = Add(new ResponseOutputItem(ResponseItemKind.Reasoning, "rs_" + _suffix + ItemSuffix()), output);
            WriteEvent(output, "response.reasoning_summary_part.added", writer =>
            {
                WriteItemPlace(writer, _reasoning);
                writer.WriteNumber("summary_index", 0);
                writer.WritePropertyName("part");
                ResponseOutputItem.WriteSummaryPart(writer, "");
            });
        }

        _reasoning.Text.Append(text);
        var item = _reasoning;
        WriteEvent(output, "response.reasoning_summary_text.delta", writer =>
        {
            WriteItemPlace(writer, item);
            writer.WriteNumber("summary_index", 0);
            writer.WriteString("delta", text);
        });
    }

    private void TextDelta(string text, IBufferWriter<byte> output)
    {
        if (_message is null)
        {
            CloseReasoning(output);
            _message = Add(new ResponseOutputItem(ResponseItemKind.Message, "msg_" + _suffix + (_messages++ == 0 ? "" : "_" + _messages)), output);
            var added = _message;
            WriteEvent(output, "response.content_part.added", writer =>
            {
                WriteItemPlace(writer, added);
                writer.WriteNumber("content_index", 0);
                writer.WritePropertyName("part");
                ResponseOutputItem.WriteTextPart(writer, "");
            });
        }

        _message.Text.Append(text);
        var item = _message;
        WriteEvent(output, "response.output_text.delta", writer =>
        {
            WriteItemPlace(writer, item);
            writer.WriteNumber("content_index", 0);
            writer.WriteString("delta", text);
            writer.WriteStartArray("logprobs");
            writer.WriteEndArray();
        });
    }

    // Chat streams a call as: its index, id and name first, then argument fragments by index alone.
    private void ToolCallDelta(JsonElement call, int position, IBufferWriter<byte> output)
    {
        var index = Property(call, "index").ValueKind == JsonValueKind.Number ? (int)Number(call, "index") : position;
        var function = Property(call, "function");
        if (!_toolCalls.TryGetValue(index, out var item))
        {
            CloseReasoning(output);
            CloseMessage(output);
            var callId = String(call, "id") ?? $"call_{_suffix}_{index}";
            item = Add(new ResponseOutputItem(ResponseItemKind.FunctionCall, "fc_" + callId) { CallId = callId, Name = String(function, "name") ?? "" }, output);
            _toolCalls[index] = item;
        }

        if (String(function, "arguments") is { Length: > 0 } arguments)
        {
            item.Arguments.Append(arguments);
            WriteEvent(output, "response.function_call_arguments.delta", writer =>
            {
                WriteItemPlace(writer, item);
                writer.WriteString("delta", arguments);
            });
        }
    }

    private void FinishChoice(string? finishReason, IBufferWriter<byte> output)
    {
        _choiceFinished = true;
        _response!.Finish(finishReason);
        CloseItems(output);
    }

    // Open items end in output order: reasoning, then text, then the calls.
    private void CloseItems(IBufferWriter<byte> output)
    {
        CloseReasoning(output);
        CloseMessage(output);
        foreach (var call in _toolCalls.Values)
        {
            call.Status = call.Status == "in_progress" ? "completed" : call.Status;
            WriteEvent(output, "response.function_call_arguments.done", writer =>
            {
                WriteItemPlace(writer, call);
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments.ToString());
            });
            WriteItemEvent(output, "response.output_item.done", call);
        }

        _toolCalls.Clear();
    }

    private void CloseReasoning(IBufferWriter<byte> output)
    {
        if (_reasoning is not { } item)
        {
            return;
        }

        _reasoning = null;
        item.Status = item.Status == "in_progress" ? "completed" : item.Status;
        var text = item.Text.ToString();
        WriteEvent(output, "response.reasoning_summary_text.done", writer =>
        {
            WriteItemPlace(writer, item);
            writer.WriteNumber("summary_index", 0);
            writer.WriteString("text", text);
        });
        WriteEvent(output, "response.reasoning_summary_part.done", writer =>
        {
            WriteItemPlace(writer, item);
            writer.WriteNumber("summary_index", 0);
            writer.WritePropertyName("part");
            ResponseOutputItem.WriteSummaryPart(writer, text);
        });
        WriteItemEvent(output, "response.output_item.done", item);
    }

    private void CloseMessage(IBufferWriter<byte> output)
    {
        if (_message is not { } item)
        {
            return;
        }

        _message = null;
        item.Status = item.Status == "in_progress" ? "completed" : item.Status;
        var text = item.Text.ToString();
        WriteEvent(output, "response.output_text.done", writer =>
        {
            WriteItemPlace(writer, item);
            writer.WriteNumber("content_index", 0);
            writer.WriteString("text", text);
            writer.WriteStartArray("logprobs");
            writer.WriteEndArray();
        });
        WriteEvent(output, "response.content_part.done", writer =>
        {
            WriteItemPlace(writer, item);
            writer.WriteNumber("content_index", 0);
            writer.WritePropertyName("part");
            ResponseOutputItem.WriteTextPart(writer, text);
        });
        WriteItemEvent(output, "response.output_item.done", item);
    }

    private void WriteFinal(IBufferWriter<byte> output)
    {
        WriteResponseEvent(output, _response!.Status == "incomplete" ? "response.incomplete" : "response.completed");
        Finished = true;
    }

    /// <summary>An <c>error</c> event (for an error the provider reported) and <c>response.failed</c>; the stream ends.</summary>
    private void Fail(IBufferWriter<byte> output, string code, string message, bool writeErrorEvent, string? param = null)
    {
        if (_response is null)
        {
            Start(default, output);
        }

        foreach (var item in _response!.Output.Where(item => item.Status == "in_progress"))
        {
            item.Status = "incomplete";
        }

        if (writeErrorEvent)
        {
            WriteEvent(output, "error", writer =>
            {
                writer.WriteString("code", code);
                writer.WriteString("message", message);
                writer.WriteString("param", param);
            });
        }

        _response.Status = "failed";
        _response.Error = (code, message);
        WriteResponseEvent(output, "response.failed");
        Finished = true;
    }

    // Chat's error code may be a number (an HTTP status), a string, or absent; the Responses API's is a string.
    private static string ErrorCode(JsonElement error)
    {
        var code = String(error, "code");
        if (code is { Length: > 0 } && !char.IsAsciiDigit(code[0]))
        {
            return code;
        }

        return code is "429" || (String(error, "type") ?? "").Contains("rate_limit", StringComparison.Ordinal) ? "rate_limit_exceeded" : "server_error";
    }

    private ResponseOutputItem Add(ResponseOutputItem item, IBufferWriter<byte> output)
    {
        _response!.Output.Add(item);
        WriteItemEvent(output, "response.output_item.added", item);
        return item;
    }

    private string ItemSuffix() => _response!.Output.Count == 0 ? "" : "_" + _response.Output.Count;

    private void WriteItemPlace(Utf8JsonWriter writer, ResponseOutputItem item)
    {
        writer.WriteString("item_id", item.Id);
        writer.WriteNumber("output_index", _response!.Output.IndexOf(item));
    }

    private void WriteItemEvent(IBufferWriter<byte> output, string type, ResponseOutputItem item) =>
        WriteEvent(output, type, writer =>
        {
            writer.WriteNumber("output_index", _response!.Output.IndexOf(item));
            writer.WritePropertyName("item");
            item.Write(writer);
        });

    private void WriteResponseEvent(IBufferWriter<byte> output, string type) =>
        WriteEvent(output, type, writer =>
        {
            writer.WritePropertyName("response");
            _response!.Write(writer);
        });

    private void WriteEvent(IBufferWriter<byte> output, string type, Action<Utf8JsonWriter> body)
    {
        output.Write("event: "u8);
        output.Write(Encoding.UTF8.GetBytes(type));
        output.Write("\ndata: "u8);
        using (var writer = new Utf8JsonWriter(output, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            body(writer);
            writer.WriteNumber("sequence_number", _sequence++);
            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }
}
