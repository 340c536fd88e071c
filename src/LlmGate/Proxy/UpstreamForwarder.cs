using System.Globalization;
using LlmGate.Alerting;
using LlmGate.Configuration;
using LlmGate.Providers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmGate.Proxy;

/// <summary>
/// Sends one call upstream and copies the answer back: headers as soon as they arrive, then the body's bytes,
/// flushed chunk by chunk for streams. A timeout is total for plain calls and per chunk for streams; a client that
/// goes away cancels the upstream call at once.
/// </summary>
internal sealed class UpstreamForwarder(UpstreamClient client, GatewayConfig config, TimeProvider timeProvider, ILogger<UpstreamForwarder> logger)
{
    private const int MaxErrorBodyBytes = 1024 * 1024;

    public async Task ForwardAsync(HttpContext context, ProviderCall call, IRequestTracker tracker)
    {
        var deploymentConfig = call.Deployment.Config;
        var timeout = call.Stream
            ? deploymentConfig.StreamTimeout ?? config.StreamTimeout ?? deploymentConfig.Timeout ?? config.RequestTimeout
            : deploymentConfig.Timeout ?? config.RequestTimeout;

        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var abortRegistration = context.RequestAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeoutSource);
        var cancellationToken = timeoutSource.Token;
        var adapter = call.Deployment.Adapter;

        try
        {
            using var request = adapter.CreateRequest(call);
            using var response = await client.Invoker.SendAsync(request, cancellationToken);
            tracker.Progress();
            if (!response.IsSuccessStatusCode)
            {
                await RelayErrorAsync(context, call, response, tracker, cancellationToken);
                return;
            }

            // For streams the timeout bounds the wait for each next chunk; for plain calls it stays a total.
            await using var body = new UpstreamBodyStream(
                await response.Content.ReadAsStreamAsync(cancellationToken), timeoutSource, call.Stream ? timeout : null, tracker);
            await adapter.RelayAsync(context, response, body, call, cancellationToken);
            tracker.Completed();
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            await HandleFailureAsync(context, call, exception, timeout, tracker);
        }
        catch (ProviderRequestException exception)
        {
            // The adapter cannot put this request into its provider's format: nothing was sent, the client must change it.
            tracker.Failed(new RequestFailure(StatusCodes.Status400BadRequest, "invalid_request_error", exception.Message, FailureKind.Gateway));
            await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, exception.Message, "invalid_request_error", exception.Param);
        }
    }

    private async Task RelayErrorAsync(HttpContext context, ProviderCall call, HttpResponseMessage response, IRequestTracker tracker, CancellationToken cancellationToken)
    {
        var upstreamStatus = (int)response.StatusCode;
        var body = await ReadLimitedAsync(response.Content, cancellationToken);
        var error = call.Deployment.Adapter.ParseError(body, upstreamStatus);
        var status = error.Status ?? upstreamStatus;
        var type = error.Type ?? DefaultErrorType(status);
        ProxyLog.UpstreamError(logger, call.ModelGroup, call.Deployment.Id, status);
        tracker.Failed(new RequestFailure(status, type, error.Message, FailureKind.UpstreamError));
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        await OpenAiError.WriteAsync(context, status, error.Message, type, error.Param);
    }

    private async Task HandleFailureAsync(HttpContext context, ProviderCall call, Exception exception, TimeSpan timeout, IRequestTracker tracker)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            ProxyLog.ClientDisconnected(logger, call.ModelGroup);
            tracker.Cancelled();
            return;
        }

        int status;
        string type;
        string message;
        FailureKind kind;
        if (exception is OperationCanceledException)
        {
            var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            ProxyLog.UpstreamTimeout(logger, call.ModelGroup, call.Deployment.Id, timeout.TotalSeconds);
            (status, type, kind) = (StatusCodes.Status408RequestTimeout, "timeout", FailureKind.Timeout);
            message = call.Stream
                ? $"litellm.Timeout: the upstream of model group '{call.ModelGroup}' sent nothing for {seconds} s (stream_timeout)."
                : $"litellm.Timeout: the upstream of model group '{call.ModelGroup}' did not answer within {seconds} s (timeout).";
        }
        else
        {
            var reason = Describe(exception);
            ProxyLog.UpstreamUnreachable(logger, call.ModelGroup, call.Deployment.Id, reason);
            (status, type, kind) = (StatusCodes.Status502BadGateway, "api_connection_error", FailureKind.ConnectionFailure);
            message = $"litellm.APIConnectionError: could not reach the upstream of model group '{call.ModelGroup}': {reason}";
        }

        tracker.Failed(new RequestFailure(status, type, message, kind));
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Remove("Content-Type");
            await OpenAiError.WriteAsync(context, status, message, type);
            return;
        }

        // Headers are gone: end the stream with an error event the OpenAI SDKs raise, rather than a silent truncation.
        try
        {
            var error = OpenAiError.Serialize(status, message, type, null);
            await context.Response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes("data: "), CancellationToken.None);
            await context.Response.Body.WriteAsync(error, CancellationToken.None);
            await context.Response.Body.WriteAsync("\n\n"u8.ToArray(), CancellationToken.None);
        }
        catch (IOException)
        {
            context.Abort();
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var memory = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while (memory.Length < MaxErrorBodyBytes && (read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            memory.Write(buffer, 0, read);
        }

        return memory.ToArray();
    }

    private static string DefaultErrorType(int status) => status switch
    {
        400 or 404 or 409 or 413 or 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        408 => "timeout",
        429 => "rate_limit_error",
        _ => "api_error",
    };

    // The socket error, without the URL's credentials or any header.
    private static string Describe(Exception exception) => exception switch
    {
        HttpRequestException { HttpRequestError: var error } when error != HttpRequestError.Unknown =>
            $"{error} ({exception.InnerException?.Message ?? exception.Message})",
        _ => exception.InnerException?.Message ?? exception.Message,
    };
}
