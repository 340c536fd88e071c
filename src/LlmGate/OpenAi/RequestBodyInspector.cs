using System.Text.Json;

namespace LlmGate.OpenAi;

/// <summary>
/// Reads a request body once, validating it as JSON and noting the few top-level fields the gateway needs,
/// without building a document: the body itself is forwarded as bytes.
/// </summary>
internal static class RequestBodyInspector
{
    public static RequestSummary Inspect(ReadOnlySpan<byte> body, string? requiredInput)
    {
        var summary = new RequestSummary();
        if (JsonUnicode.Problem(body) is { } problem)
        {
            summary.Error = problem;
            return summary;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                summary.Error = "The request body must be a JSON object.";
                return summary;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = (int)reader.TokenStartIndex;
                var name = reader.ValueSpan;
                var isModel = name.SequenceEqual("model"u8);
                var isStream = name.SequenceEqual("stream"u8);
                var isRequired = requiredInput is not null && reader.ValueTextEquals(requiredInput);
                var isMock = name.SequenceEqual("mock_response"u8);
                var isDrop = name.SequenceEqual("drop_params"u8);
                var isStreamOptions = name.SequenceEqual("stream_options"u8);
                var isExtraBody = name.SequenceEqual("extra_body"u8);
                var isGatewayOnly = IsGatewayOnly(ref reader);

                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                isExtraBody &= reader.TokenType == JsonTokenType.StartObject;
                if (isModel && reader.TokenType == JsonTokenType.String)
                {
                    summary.Model = reader.GetString();
                }
                else if (isModel && reader.TokenType != JsonTokenType.Null)
                {
                    // OpenAI's wording; a number or an object is not a missing model.
                    summary.Error ??= $"Invalid type for 'model': expected a string, but got {TypeName(reader.TokenType)} instead.";
                }
                else if (isStream)
                {
                    summary.Stream = reader.TokenType == JsonTokenType.True;
                }
                else if (isMock && reader.TokenType == JsonTokenType.String)
                {
                    summary.MockResponse = reader.GetString();
                }
                else if (isDrop)
                {
                    summary.DropParams = reader.TokenType == JsonTokenType.True;
                }
                else if (isStreamOptions)
                {
                    summary.IncludeUsage = AsksForUsage(reader);
                }

                if (isRequired)
                {
                    summary.RequiredInputPresent = true;
                    summary.RequiredInputNotEmpty = HasContent(ref reader);
                }

                reader.Skip();
                if (isModel)
                {
                    summary.ModelIndex = summary.Properties.Count;
                }
                else if (isStreamOptions)
                {
                    summary.StreamOptionsIndex = summary.Properties.Count;
                }
                else if (isExtraBody)
                {
                    summary.ExtraBodyIndex = summary.Properties.Count;
                }

                summary.HasGatewayOnlyFields |= isGatewayOnly;
                summary.Properties.Add(new JsonPropertySpan(nameStart, valueStart, (int)reader.BytesConsumed, isGatewayOnly));
            }

            // Reads past the end to reject trailing content after the object.
            if (reader.Read())
            {
                summary.Error = "The request body must be a single JSON object.";
            }
        }
        catch (JsonException exception)
        {
            summary.Error = $"The request body is not valid JSON: {Describe(exception)}";
        }

        return summary;
    }

    // Fields a client could use to steer where the gateway connects or with which key (LiteLLM's request-level
    // api_base is a known SSRF path), and LiteLLM-only fields a provider would reject. They never leave the gateway.
    private static bool IsGatewayOnly(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("api_base"u8) || reader.ValueTextEquals("base_url"u8) || reader.ValueTextEquals("api_key"u8)
        || reader.ValueTextEquals("api_version"u8) || reader.ValueTextEquals("mock_response"u8) || reader.ValueTextEquals("user_config"u8)
        || reader.ValueTextEquals("drop_params"u8);

    // A copy of the reader on stream_options' value: the caller skips the whole value after.
    private static bool AsksForUsage(Utf8JsonReader copy)
    {
        if (copy.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var asks = false;
        while (copy.Read() && copy.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = copy.ValueTextEquals("include_usage"u8);
            copy.Read();
            if (isIncludeUsage)
            {
                asks = copy.TokenType == JsonTokenType.True;
            }

            copy.Skip();
        }

        return asks;
    }

    private static bool HasContent(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => false,
        JsonTokenType.String => reader.ValueSpan.Length > 0,
        JsonTokenType.StartArray => PeekNonEmptyArray(reader),
        _ => true,
    };

    private static bool PeekNonEmptyArray(Utf8JsonReader copy) => copy.Read() && copy.TokenType != JsonTokenType.EndArray;

    private static string TypeName(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartArray => "an array",
        _ => "an object",
    };

    // The reader's message names the line and byte position but never echoes body content.
    private static string Describe(JsonException exception) =>
        $"line {exception.LineNumber + 1}, position {exception.BytePositionInLine}.";
}
