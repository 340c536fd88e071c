using System.Text.Json;
using LlmGate.Calls;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers;

/// <summary>
/// Relays an Anthropic Messages answer to a <c>/v1/messages</c> client unchanged, with Anthropic's headers
/// (<c>request-id</c>, <c>anthropic-ratelimit-*</c>), reading its usage and stop reason on the way: the plain answer
/// whole, the stream event by event as each arrives (re-framed, same events and data). A stream that ends before
/// <c>message_stop</c> throws an <see cref="IOException"/>: the forwarder ends it with the gateway's own error event and
/// counts the call as failed. An <c>error</c> event is relayed as it is, and the call counted as failed too.
/// </summary>
internal static class MessagesPassThrough
{
    public static async Task<TokenUsage?> RelayAnswerAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        ResponseHeaders.CopyResponseHeaders(context.Response, response);
        string? stopReason = null;
        var usage = await TranslatedAnswerRelay.RelayAsync(context, body, call, answer =>
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            stopReason = root.TryGetProperty("stop_reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;
            var tokens = root.TryGetProperty("usage", out var used) && used.ValueKind == JsonValueKind.Object ? AnthropicUsage.From(used) : default;
            return (answer.ToArray(), tokens.ToChatUsage().ToTokenUsage());
        }, AnthropicAdapter.AdapterName, "a message", cancellationToken);
        call.FinishReason = stopReason;
        return usage;
    }

    public static async Task<TokenUsage?> RelayStreamAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        var output = await PassThroughEvents.StartAsync(context, response, cancellationToken);
        AnthropicUsage? usage = null;
        await foreach (var upstreamEvent in UpstreamEventStreams.ReadSseAsync(body, cancellationToken))
        {
            usage = Observe(upstreamEvent, call, usage);
            await PassThroughEvents.WriteAsync(output, upstreamEvent.Type, upstreamEvent.Data.Span, cancellationToken);
            if (upstreamEvent.Type == "error")
            {
                // Relayed as Anthropic sent it (an SDK tells overloaded_error from others), and the call counted as failed.
                throw new StreamErrorEventException(AnthropicAdapter.AdapterName, ErrorMessage(upstreamEvent.Data.Span));
            }

            if (upstreamEvent.Type == "message_stop")
            {
                return usage?.ToChatUsage().ToTokenUsage();
            }
        }

        throw new IOException("provider anthropic ended the stream before message_stop.");
    }

    // message_start carries the input tokens, message_delta the output so far and the stop reason.
    private static AnthropicUsage? Observe(UpstreamEvent upstreamEvent, ProviderCall call, AnthropicUsage? usage)
    {
        if (upstreamEvent.Type is not ("message_start" or "message_delta"))
        {
            return usage;
        }

        using var document = JsonDocument.Parse(upstreamEvent.Data);
        var root = document.RootElement;
        var holder = upstreamEvent.Type == "message_start" && root.TryGetProperty("message", out var message) ? message : root;
        if (root.TryGetProperty("delta", out var delta) && delta.TryGetProperty("stop_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
        {
            call.FinishReason = reason.GetString();
        }

        if (holder.TryGetProperty("usage", out var used) && used.ValueKind == JsonValueKind.Object)
        {
            usage = usage is { } known ? known.Merge(used) : AnthropicUsage.From(used);
            call.UsageSoFar = usage.Value.ToChatUsage().ToTokenUsage();
        }

        return usage;
    }

    private static string ErrorMessage(ReadOnlySpan<byte> data)
    {
        try
        {
            using var document = JsonDocument.Parse(data.ToArray());
            return document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var message)
                ? message.GetString() ?? "(no message)"
                : "(no message)";
        }
        catch (JsonException)
        {
            return "(not JSON)";
        }
    }
}
