using System.Text.Json.Nodes;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>
/// LiteLLM's <c>drop_params</c> for translating providers: a top-level parameter the provider cannot take
/// (its translator's <see cref="ProviderRequestException"/> names it) is removed and the translation tried again when
/// the call allows dropping; otherwise the 400 names the parameter and says how to drop it.
/// </summary>
internal static class UnsupportedParams
{
    // Each drop removes one parameter; a request has few that a provider refuses.
    private const int MaxDrops = 16;

    public static T Translate<T>(ProviderCall call, Func<ReadOnlyMemory<byte>, T> translate)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(translate);
        var body = call.Body;
        for (var drops = 0; ; drops++)
        {
            try
            {
                return translate(body);
            }
            catch (ProviderRequestException exception) when (exception.Param is { } param && IsDroppable(param) && drops < MaxDrops)
            {
                if (!call.DropUnsupportedParams || Without(body, param) is not { } smaller)
                {
                    throw new ProviderRequestException(
                        $"{exception.Message} To drop unsupported parameters, set drop_params: true (litellm_settings, the deployment's litellm_params, or the request).",
                        param);
                }

                body = smaller;
            }
        }
    }

    // A top-level parameter, not the input itself.
    private static bool IsDroppable(string param) =>
        param.AsSpan().IndexOfAny('.', '[') < 0 && param is not ("messages" or "input" or "prompt" or "model");

    private static ReadOnlyMemory<byte>? Without(ReadOnlyMemory<byte> body, string param)
    {
        if (JsonNode.Parse(body.Span) is not JsonObject request || !request.Remove(param))
        {
            return null;
        }

        var output = new System.Buffers.ArrayBufferWriter<byte>(body.Length);
        using (var writer = new System.Text.Json.Utf8JsonWriter(output, GatewayJson.WriterOptions))
        {
            request.WriteTo(writer);
        }

        return output.WrittenMemory;
    }
}
