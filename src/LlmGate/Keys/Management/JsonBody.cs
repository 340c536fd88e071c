using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;
using LlmGate.Proxy;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Keys;

/// <summary>
/// A management request's JSON object, read field by field so that absent, null and set stay distinct and each
/// wrong type is refused with a message naming the field. Fields it is not asked about are ignored, as LiteLLM's
/// request models ignore extra fields.
/// </summary>
internal sealed class JsonBody(JsonElement root)
{
    public static readonly JsonBody Empty = new(JsonDocument.Parse("{}").RootElement);

    /// <summary>
    /// Reads the request's JSON object, at most <paramref name="limit"/> bytes (<c>max_request_size_mb</c>); a larger
    /// body is refused 413 and drained, like the proxy's. Called once the caller is authorised.
    /// </summary>
    public static async Task<JsonBody> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        ProxyHandler.LiftServerBodyLimit(context);
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var (buffer, length) = await ProxyHandler.ReadBodyAsync(context.Request.Body, context.Request.ContentLength, limit, cancellationToken);
        try
        {
            return length > limit ? throw TooLarge(limit) : Parse(buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public bool TryGet(string name, out JsonElement value) => root.TryGetProperty(name, out value);

    /// <summary>True when the field is absent, null, or an empty string, array or object: sent, but asking for nothing.</summary>
    public bool IsEmpty(string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => true,
            JsonValueKind.String => value.GetString()!.Length == 0,
            JsonValueKind.Array => value.GetArrayLength() == 0,
            JsonValueKind.Object => !value.EnumerateObject().Any(),
            _ => false,
        };

    public Field<string?> String(string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return Field<string?>.Absent;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => new(true, null),
            JsonValueKind.String => new(true, value.GetString()),
            _ => throw ManagementException.BadRequest($"{name} must be a string.", name),
        };
    }

    public Field<double?> Number(string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return Field<double?>.Absent;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => new(true, null),
            // 1e400 reads as infinity, which no budget can be and no JSON answer can show.
            JsonValueKind.Number when double.IsFinite(value.GetDouble()) => new(true, value.GetDouble()),
            JsonValueKind.Number => throw ManagementException.BadRequest($"{name} must be a finite number.", name),
            _ => throw ManagementException.BadRequest($"{name} must be a number.", name),
        };
    }

    public Field<long?> Integer(string name)
    {
        var number = Number(name);
        if (number.Value is { } n && (n != Math.Floor(n) || double.IsInfinity(n) || Math.Abs(n) > long.MaxValue / 2))
        {
            throw ManagementException.BadRequest($"{name} must be a whole number.", name);
        }

        return new(number.Present, number.Value is { } whole ? (long)whole : null);
    }

    public Field<bool?> Bool(string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return Field<bool?>.Absent;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => new(true, null),
            JsonValueKind.True => new(true, true),
            JsonValueKind.False => new(true, false),
            _ => throw ManagementException.BadRequest($"{name} must be true or false.", name),
        };
    }

    public Field<IReadOnlyList<string>?> Strings(string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return Field<IReadOnlyList<string>?>.Absent;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return new(true, null);
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            throw ManagementException.BadRequest($"{name} must be a list of strings.", name);
        }

        return new(true, value.EnumerateArray().Select(item => item.GetString()!).ToArray());
    }

    /// <summary>A JSON object or array field as its text (<paramref name="kind"/> says which), for the store's JSON columns.</summary>
    public Field<string?> Json(string name, JsonValueKind kind)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return Field<string?>.Absent;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return new(true, null);
        }

        return value.ValueKind == kind
            ? new(true, value.GetRawText())
            : throw ManagementException.BadRequest($"{name} must be a JSON {(kind == JsonValueKind.Object ? "object" : "array")}.", name);
    }

    private static JsonBody Parse(ReadOnlyMemory<byte> body)
    {
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            // Every field is optional on most routes: `curl -X POST /key/generate` with no body is a request for defaults.
            return Empty;
        }

        if (JsonUnicode.Problem(body.Span) is { } problem)
        {
            throw ManagementException.BadRequest(problem); // its strings could not be read
        }

        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(body);
            element = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw ManagementException.BadRequest("The request body is not valid JSON: " + e.Message);
        }

        return element.ValueKind == JsonValueKind.Object
            ? new JsonBody(element)
            : throw ManagementException.BadRequest("The request body must be a JSON object.");
    }

    private static ManagementException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, ProxyHandler.TooLargeMessage(limit), "bad_request_error");
}
