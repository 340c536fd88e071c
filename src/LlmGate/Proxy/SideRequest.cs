using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Proxy;

/// <summary>
/// A request to a deployment that is not an LLM call (a token count, a stored response): sent once on the upstream
/// client, its answer written back as it came (a successful body optionally rewritten), a deployment that cannot be
/// reached a 502 that says what was being asked. Not retried, not counted for alerting or spend.
/// </summary>
internal static class SideRequest
{
    /// <param name="purpose">What the request was for, completing "Could not reach …", e.g. "Anthropic to count tokens".</param>
    public static async Task ForwardAsync(
        HttpContext context, HttpRequestMessage request, TimeSpan timeout, string purpose, Func<byte[], byte[]>? rewriteSuccess = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await context.RequestServices.GetRequiredService<UpstreamClient>().Invoker.SendAsync(request, deadline.Token);
            var answer = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            if (response.IsSuccessStatusCode && rewriteSuccess is not null)
            {
                answer = rewriteSuccess(answer);
            }

            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status502BadGateway, $"Could not reach {purpose}: {exception.Message}", "api_error");
        }
    }
}
