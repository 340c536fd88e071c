using System.Text.Json;
using LlmGate.Calls;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers;

/// <summary>
/// Relays a translated answer that is not a stream: the provider's body read whole, translated, and written to the client
/// as one OpenAI JSON body. A body that is not the provider's JSON throws an <see cref="UnreadableAnswerException"/>, which the
/// forwarder reports as the upstream's failure.
/// </summary>
internal static class TranslatedAnswerRelay
{
    /// <param name="translate">The provider's answer → OpenAI's body and the tokens it reports; throws <see cref="JsonException"/> or <see cref="InvalidOperationException"/> for a body it cannot read.</param>
    /// <param name="what">What the provider should have answered, for the error: "a Cohere chat response".</param>
    public static async Task<TokenUsage?> RelayAsync(
        HttpContext context, Stream body, ProviderCall call, Func<ReadOnlyMemory<byte>, (byte[] Body, TokenUsage Usage)> translate, string provider, string what, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        byte[] translated;
        TokenUsage usage;
        try
        {
            (translated, usage) = translate(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not text (bad UTF-8, an unpaired surrogate) or a field of the
            // wrong type, which JsonElement only finds when the translation reads it.
            throw new UnreadableAnswerException($"provider {provider} answered with a body that is not {what}.", exception);
        }

        call.FinishReason = FinishReasonReader.Last(translated);
        context.Features.Get<AnswerReady>()?.Invoke(usage);
        var client = context.Response;
        client.StatusCode = StatusCodes.Status200OK;
        client.ContentType = "application/json";
        client.ContentLength = translated.Length;
        await client.Body.WriteAsync(translated, cancellationToken);
        return usage;
    }
}
