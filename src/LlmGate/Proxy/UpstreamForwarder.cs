using System.Buffers;
using System.Globalization;
using System.Net;
using LlmGate.Alerting;
using LlmGate.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace LlmGate.Proxy;

/// <summary>
/// Sends one call upstream and copies the answer back: headers as soon as they arrive, then the body's bytes,
/// flushed chunk by chunk for streams. A timeout is total for plain calls and per chunk for streams; a client that
/// goes away cancels the upstream call at once.
/// </summary>
internal sealed class UpstreamForwarder(UpstreamClient client, GatewayConfig config, TimeProvider timeProvider, ILogger<UpstreamForwarder> logger)
{
    private const int StreamBufferSize = 16 * 1024;
    private const int MaxErrorBodyBytes = 1024 * 1024;

    public async Task ForwardAsync(HttpContext context, ForwardRequest call, IRequestTracker tracker)
    {
        var deploymentConfig = call.Deployment.Config;
        var timeout = call.Stream
            ? deploymentConfig.StreamTimeout ?? config.StreamTimeout ?? deploymentConfig.Timeout ?? config.RequestTimeout
            : deploymentConfig.Timeout ?? config.RequestTimeout;

        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var abortRegistration = context.RequestAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeoutSource);
        var cancellationToken = timeoutSource.Token;

        using var request = new HttpRequestMessage(HttpMethod.Post, call.Deployment.EndpointUri(call.Kind))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(call.Body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        if (call.Deployment.AuthorizationHeader is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        try
        {
            using var response = await client.Invoker.SendAsync(request, cancellationToken);
            tracker.Progress();
            if (!response.IsSuccessStatusCode)
            {
                await RelayErrorAsync(context, call, response, tracker, cancellationToken);
                return;
            }

            CopyResponseHeaders(context.Response, response);
            await using var upstreamBody = await response.Content.ReadAsStreamAsync(cancellationToken);
            if (call.Stream)
            {
                await CopyStreamAsync(context, upstreamBody, timeoutSource, timeout, tracker);
            }
            else
            {
                await upstreamBody.CopyToAsync(context.Response.Body, cancellationToken);
            }

            tracker.Completed();
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            await HandleFailureAsync(context, call, exception, timeout, tracker);
        }
    }

    private async Task CopyStreamAsync(HttpContext context, Stream upstreamBody, CancellationTokenSource timeoutSource, TimeSpan timeout, IRequestTracker tracker)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var output = context.Response.Body;
        var buffer = ArrayPool<byte>.Shared.Rent(StreamBufferSize);
        try
        {
            await context.Response.StartAsync(timeoutSource.Token);
            while (true)
            {
                // stream_timeout bounds the wait for the next chunk, not the whole stream.
                timeoutSource.CancelAfter(timeout);
                var read = await upstreamBody.ReadAsync(buffer, timeoutSource.Token);
                if (read == 0)
                {
                    return;
                }

                tracker.Progress();
                await output.WriteAsync(buffer.AsMemory(0, read), timeoutSource.Token);
                await output.FlushAsync(timeoutSource.Token);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task RelayErrorAsync(HttpContext context, ForwardRequest call, HttpResponseMessage response, IRequestTracker tracker, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await ReadLimitedAsync(response.Content, cancellationToken);
        var error = UpstreamError.Parse(body, status);
        var type = error.Type ?? DefaultErrorType(status);
        ProxyLog.UpstreamError(logger, call.ModelGroup, call.Deployment.Id, status);
        tracker.Failed(new RequestFailure(status, type, error.Message, FailureKind.UpstreamError));
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        await OpenAiError.WriteAsync(context, status, error.Message, type, error.Param);
    }

    private async Task HandleFailureAsync(HttpContext context, ForwardRequest call, Exception exception, TimeSpan timeout, IRequestTracker tracker)
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

    private static void CopyResponseHeaders(HttpResponse target, HttpResponseMessage source)
    {
        target.StatusCode = (int)source.StatusCode;
        foreach (var header in source.Headers)
        {
            if (!IsHopByHop(header.Key))
            {
                target.Headers[header.Key] = header.Value.ToArray();
            }
        }

        foreach (var header in source.Content.Headers)
        {
            target.Headers[header.Key] = header.Value.ToArray();
        }
    }

    private static bool IsHopByHop(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Alt-Svc", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Server", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Date", StringComparison.OrdinalIgnoreCase);

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
