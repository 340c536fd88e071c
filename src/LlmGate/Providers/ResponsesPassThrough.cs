using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers;

/// <summary>
/// Relays a Responses API answer from OpenAI or Azure to the client: unchanged but for the response's id, which becomes
/// the gateway's (<see cref="ResponseIds"/>), and with its usage read on the way. A stream is relayed event by event;
/// one that ends before <c>response.completed</c> (or <c>.failed</c>/<c>.incomplete</c>) throws an <see cref="IOException"/>.
/// </summary>
internal static class ResponsesPassThrough
{
    public static async Task<TokenUsage?> RelayAnswerAsync(HttpContext context, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        string? status = null;
        var usage = await TranslatedAnswerRelay.RelayAsync(context, body, call, answer =>
        {
            var response = JsonNode.Parse(answer.Span)?.AsObject() ?? throw new JsonException("not an object");
            status = (string?)response["status"];
            return (Encoding.UTF8.GetBytes(WithGatewayId(response, call).ToJsonString()), UsageOf(response));
        }, call.Endpoint.ProviderName, "a response", cancellationToken);
        call.FinishReason = status;
        return usage;
    }

    public static async Task<TokenUsage?> RelayStreamAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        var output = await PassThroughEvents.StartAsync(context, response, cancellationToken);
        TokenUsage? usage = null;
        await foreach (var upstreamEvent in UpstreamEventStreams.ReadSseAsync(body, cancellationToken))
        {
            var data = upstreamEvent.Data;
            var final = upstreamEvent.Type is "response.completed" or "response.failed" or "response.incomplete";
            if (upstreamEvent.Type.StartsWith("response.", StringComparison.Ordinal) && JsonNode.Parse(data.Span) is JsonObject payload && payload["response"] is JsonObject inner)
            {
                payload["response"] = WithGatewayId(inner.DeepClone().AsObject(), call);
                data = Encoding.UTF8.GetBytes(payload.ToJsonString());
                if (final)
                {
                    usage = UsageOf(inner);
                    call.UsageSoFar = usage;
                    call.FinishReason = (string?)inner["status"];
                }
            }

            await PassThroughEvents.WriteAsync(output, upstreamEvent.Type, data.Span, cancellationToken);
            if (final)
            {
                return usage;
            }
        }

        throw new IOException($"provider {call.Endpoint.ProviderName} ended the response stream before response.completed.");
    }

    private static JsonObject WithGatewayId(JsonObject response, ProviderCall call)
    {
        if ((string?)response["id"] is { } id)
        {
            response["id"] = ResponseIds.Encode(call.Endpoint.ProviderName, call.DeploymentId, id);
        }

        // The upstream echoes the id it was sent; the client knows the one the gateway gave it, which finds this deployment.
        if (response["previous_response_id"] is JsonValue previous && previous.TryGetValue<string>(out var previousId))
        {
            response["previous_response_id"] = ResponseIds.Encode(call.Endpoint.ProviderName, call.DeploymentId, previousId);
        }

        return response;
    }

    private static TokenUsage UsageOf(JsonObject response)
    {
        var usage = response["usage"] as JsonObject;
        long Read(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;
        return new TokenUsage(Read(usage?["input_tokens"]), Read(usage?["output_tokens"]), Read(usage?["input_tokens_details"]?["cached_tokens"]));
    }
}
