using System.Globalization;
using System.Text.Json;
using LlmGate.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace LlmGate.Observability.Logging;

/// <summary>
/// <c>json_logs</c>: one JSON object per line, in LiteLLM's field names (<c>timestamp</c>, <c>level</c>,
/// <c>message</c>, <c>logger</c>) rather than the framework's JSON formatter's (<c>Timestamp</c>, <c>LogLevel</c>,
/// <c>Category</c>), with each structured field of the message at the top level, the trace, request and call ids
/// of the scopes around it, and an exception as an object.
/// </summary>
internal sealed class JsonLogFormatter(IOptionsMonitor<JsonLogFormatterOptions> options, TimeProvider time) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "llmgate-json";

    private const string OriginalFormat = "{OriginalFormat}";

    private const string ClashPrefix = "field_";

    // The line's own keys: a message field of the same name is written as field_<name>, never over them.
    private static readonly HashSet<string> ReservedKeys = new(StringComparer.Ordinal)
    {
        "timestamp", "level", "message", "logger", "event", "event_id", "exception",
        "trace_id", "span_id", "request_id", "call_id",
    };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is null && string.IsNullOrEmpty(message))
        {
            return;
        }

        var buffer = JsonLogBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            WriteTimestamp(writer, time.GetUtcNow());
            writer.WriteString("level", LogLevelNames.Of(logEntry.LogLevel));
            writer.WriteString("message", message);
            writer.WriteString("logger", logEntry.Category);
            if (logEntry.EventId.Name is { Length: > 0 } eventName)
            {
                writer.WriteString("event", eventName);
            }

            if (logEntry.EventId.Id != 0)
            {
                writer.WriteNumber("event_id", logEntry.EventId.Id);
            }

            if (scopeProvider is not null && options.CurrentValue.IncludeScopes)
            {
                scopeProvider.ForEachScope(LogScopeFields.Collect, buffer.Scopes);
            }

            buffer.Scopes.AddCurrentActivity();
            buffer.Scopes.WriteTo(writer);
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                WriteFields(writer, fields);
            }

            if (logEntry.Exception is { } exception)
            {
                // An exception's text is the one part of a line the gateway does not write itself (a library's message
                // may quote a header or a key): credential-shaped parts are redacted, as LiteLLM's JSON logs do.
                writer.WriteStartObject("exception");
                writer.WriteString("type", exception.GetType().FullName);
                writer.WriteString("message", SecretScrubber.RedactCredentials(exception.Message));
                writer.WriteString("stacktrace", SecretScrubber.RedactCredentials(exception.ToString()));
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            buffer.WriteLineTo(textWriter);
        }
        finally
        {
            JsonLogBuffer.Return(buffer);
        }
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, DateTimeOffset now)
    {
        Span<char> text = stackalloc char[32];
        now.UtcDateTime.TryFormat(text, out var length, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString("timestamp", text[..length]);
    }

    private static void WriteFields(Utf8JsonWriter writer, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            var (key, value) = fields[i];
            if (key == OriginalFormat)
            {
                continue;
            }

            if (ReservedKeys.Contains(key))
            {
                writer.WritePropertyName(ClashPrefix + key);
            }
            else
            {
                writer.WritePropertyName(key);
            }

            JsonLogValue.Write(writer, value);
        }
    }
}
