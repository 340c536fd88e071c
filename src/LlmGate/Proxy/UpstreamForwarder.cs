using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmGate.Proxy;

/// <summary>
/// Makes one call upstream and, separately, copies a successful answer back: the attempt loop sees each outcome
/// before anything reaches the client, so a failed attempt can be retried elsewhere. A timeout is total for plain
/// calls and per chunk for streams; a client that goes away cancels the upstream call at once.
/// </summary>
internal sealed class UpstreamForwarder(
    UpstreamClient client, TimeProvider timeProvider, ILogger<UpstreamForwarder> logger, ShutdownDrain? drain = null, ClientStallLimit? clientStall = null)
{
    private readonly TimeSpan _clientStallTimeout = (clientStall ?? ClientStallLimit.Default).Timeout;

    private const int MaxErrorBodyBytes = 1024 * 1024;

    /// <summary>Sends the call and reads the response headers (and, for an error, its body); writes nothing to the client.</summary>
    public Task<UpstreamAttempt> SendAsync(HttpContext context, GatewayConfig config, ProviderCall call, CallContext callContext)
    {
        ArgumentNullException.ThrowIfNull(context);
        var deploymentConfig = call.Endpoint.Config;
        var timeout = call.Stream
            ? deploymentConfig.StreamTimeout ?? config.StreamTimeout ?? deploymentConfig.Timeout ?? config.RequestTimeout
            : deploymentConfig.Timeout ?? config.RequestTimeout;
        return SendAsync(call, timeout, context.RequestAborted, callContext);
    }

    /// <summary>
    /// The same for a call no client made (a health check): no call context to tell, <paramref name="aborted"/> in place
    /// of the client going away (then the attempt is <see cref="UpstreamAttempt.ClientGone"/>), and the caller's timeout.
    /// </summary>
    public async Task<UpstreamAttempt> SendAsync(ProviderCall call, TimeSpan timeout, CancellationToken aborted, CallContext? callContext)
    {
        ArgumentNullException.ThrowIfNull(call);
        var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        var abortRegistration = aborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeoutSource);
        var cancellationToken = timeoutSource.Token;
        HttpResponseMessage? response = null;
        Uri? sentTo = null;
        try
        {
            if (MediaEndpoints.Refusal(call.Endpoint, call.Kind) is { } refusal)
            {
                throw new ProviderRequestException(refusal);
            }

            using (var request = await call.Endpoint.Adapter.CreateRequestAsync(call, cancellationToken))
            {
                sentTo = request.RequestUri;
                TraceContext.Inject(request);
                response = await client.Invoker.SendAsync(request, cancellationToken);
            }

            callContext?.Progress();
            if (response.IsSuccessStatusCode)
            {
                ReadRateLimits(response, callContext?.CurrentAttempt);
                return new UpstreamAttempt(response, timeoutSource, abortRegistration, timeout);
            }

            var failure = await ReadErrorAsync(call, response, cancellationToken);
            response.Dispose();
            abortRegistration.Dispose();
            timeoutSource.Dispose();
            return new UpstreamAttempt(failure);
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            response?.Dispose();
            abortRegistration.Dispose();
            timeoutSource.Dispose();
            return new UpstreamAttempt(aborted.IsCancellationRequested ? null : Describe(call, exception, timeout, host: sentTo?.Host));
        }
        catch (ProviderCredentialException exception)
        {
            // No credential for the provider: nothing was sent. It is the deployment's failure (as a refused key
            // would be), so it counts for cooldowns and alerting, and other deployments may still answer.
            abortRegistration.Dispose();
            timeoutSource.Dispose();
            ProxyLog.UpstreamCredentialFailed(logger, call.ModelGroup, call.DeploymentId, exception.Message);
            var type = exception.Status == StatusCodes.Status401Unauthorized ? "authentication_error" : "api_error";
            return new UpstreamAttempt(new AttemptFailure(exception.Status, type, exception.Message, null, FailureKind.UpstreamError));
        }
        catch (ProviderRequestException exception)
        {
            // The adapter cannot put this request into its provider's format: nothing was sent; the same request
            // would fail again, so it is neither retried nor sent to a fallback.
            abortRegistration.Dispose();
            timeoutSource.Dispose();
            return new UpstreamAttempt(new AttemptFailure(StatusCodes.Status400BadRequest, "invalid_request_error", exception.Message, exception.Param, FailureKind.Gateway)
            {
                Fallback = FallbackTrigger.None,
            });
        }
    }

    /// <summary>
    /// Copies a successful answer to the client. Null when it was delivered (the call is told); otherwise the failure
    /// that cut it short: once the response has started, already reported to the client and the call, never to be
    /// retried (<see cref="AttemptFailure.AfterFirstByte"/>); before that, reported to neither, for the loop to retry — or, with
    /// <see cref="AttemptFailure.BlockedAnswer"/>, a safety block found before anything was written, which the loop
    /// may still send to <c>content_policy_fallbacks</c>.
    /// </summary>
    public async Task<AttemptFailure?> RelayAsync(HttpContext context, ProviderCall call, UpstreamAttempt attempt, CallContext callContext)
    {
        var response = attempt.Response ?? throw new ArgumentException("Only a successful attempt is relayed.", nameof(attempt));
        var timeoutSource = attempt.TimeoutSource;
        // Past the shutdown timeout a relay still running is cut like a timeout, and told apart in the catch below.
        using var cut = call.Stream && drain is not null
            ? drain.StreamsCut.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeoutSource)
            : default;
        UpstreamBodyStream? body = null;
        try
        {
            // For streams the timeout bounds the wait for each next chunk (and, between chunks, for the client to take
            // them); for plain calls it stays a total. ReadAsStream, not ReadAsStreamAsync: with ResponseHeadersRead the
            // handler's content hands over its connection stream at once, so the async form only cost a Task per call.
            body = new UpstreamBodyStream(
                response.Content.ReadAsStream(timeoutSource.Token), timeoutSource, call.Stream ? attempt.Timeout : null, callContext, _clientStallTimeout);
            if (!call.Stream && callContext.Charge is { } charge)
            {
                // LiteLLM's x-litellm-response-cost: a plain answer to a charged call is held until its usage is known.
                context.Features.Set(ChargeHeaders(context, callContext, charge));
            }

            callContext.Usage = call.BridgedFrom is { } api
                ? await RelayBridgedAsync(context, api, response, body, call, timeoutSource.Token)
                : await call.Endpoint.Adapter.RelayAsync(context, response, body, call, timeoutSource.Token);
            callContext.FinishReason = call.FinishReason;
            callContext.Completed();
            return null;
        }
        catch (ContentBlockedException exception) when (exception.Answer is { } answer && !context.Response.HasStarted)
        {
            ProxyLog.UpstreamBlocked(logger, call.ModelGroup, call.DeploymentId);
            return new AttemptFailure(StatusCodes.Status400BadRequest, "invalid_request_error", exception.Message, null, FailureKind.UpstreamError)
            {
                Fallback = FallbackTrigger.ContentPolicy,
                BlockedAnswer = answer,
            };
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            // A stream cut short was still billed for what the upstream sent: keep whatever usage it reported.
            callContext.Usage = call.UsageSoFar;
            callContext.FinishReason = call.FinishReason;
            if (context.RequestAborted.IsCancellationRequested)
            {
                ProxyLog.ClientDisconnected(logger, call.ModelGroup);
                callContext.Cancelled();
                return null;
            }

            if (body is { ClientStalled: true })
            {
                // The client's doing, not the deployment's: counted as a disconnect, so it never pages. Nothing more can
                // be written to a client that takes nothing, so the connection is closed rather than sent an error event.
                ProxyLog.ClientStalled(logger, call.ModelGroup, _clientStallTimeout.TotalSeconds);
                callContext.Cancelled();
                context.Abort();
                return null;
            }

            if (drain is { StreamsCut.IsCancellationRequested: true })
            {
                // The gateway's own stop, not the deployment's failure: counted as neither, so it never pages.
                callContext.Cancelled();
                var seconds = drain.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                await WriteFailureAsync(context, new AttemptFailure(
                    StatusCodes.Status503ServiceUnavailable,
                    "service_unavailable",
                    $"The gateway is shutting down and its shutdown timeout ({seconds} s) has passed; the stream was cut. Retry the request.",
                    null,
                    FailureKind.Gateway) { AfterFirstByte = true });
                return null;
            }

            var failure = Describe(call, exception, attempt.Timeout, answering: true);
            if (!context.Response.HasStarted)
            {
                // The body broke off before anything reached the client (a plain answer is held whole): a failed
                // attempt like any other, which the loop may retry elsewhere or report.
                return failure;
            }

            failure = failure with { AfterFirstByte = true };
            callContext.Failed(failure.ToCallFailure());
            if (exception is not StreamErrorEventException)
            {
                await WriteFailureAsync(context, failure); // a provider's error event has reached the client already
            }

            return failure;
        }
        finally
        {
            if (body is not null)
            {
                await body.DisposeAsync();
            }
        }
    }

    // The lambdas live in their own methods: in the async method above, their captures would be hoisted into a closure
    // allocated on every call, charged and bridged or not.
    private static AnswerReady ChargeHeaders(HttpContext context, CallContext callContext, ICallCharge charge) => new(usage =>
    {
        callContext.Usage = usage;
        foreach (var (name, value) in charge.AnswerHeaders(callContext))
        {
            context.Response.Headers[name] = value;
        }
    });

    private static Task<TokenUsage?> RelayBridgedAsync(HttpContext context, ProxyEndpointKind api, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken) =>
        BridgeBody.RelayAsync(context, api, call.Stream, call.UpstreamModel, () => call.Endpoint.Adapter.RelayAsync(context, response, body, call, cancellationToken), cancellationToken);

    /// <summary>The final failure, as the client sees it: OpenAI's error body, or an SSE error event once a stream has begun.</summary>
    public static async Task WriteFailureAsync(HttpContext context, AttemptFailure failure)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(failure);
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Remove("Content-Type");
            if (failure.RetryAfterHeader is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            await OpenAiError.WriteAsync(context, failure.Status, failure.Message, failure.Type, failure.Param);
            return;
        }

        // A started answer that is no event stream (speech's audio) cannot carry an error event: the connection is cut,
        // so the client sees a broken transfer rather than a file with JSON at its end.
        if (context.Response.ContentType is { } contentType && !contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            context.Abort();
            return;
        }

        // Headers are gone: end the stream with an error event the OpenAI SDKs raise (Anthropic's on its Messages
        // routes), rather than a silent truncation.
        try
        {
            if (context.Features.Get<MessagesRoute>() is not null)
            {
                await context.Response.Body.WriteAsync(AnthropicErrorBody.SerializeEvent(failure.Status, failure.Message), CancellationToken.None);
                return;
            }

            var error = OpenAiError.Serialize(failure.Status, failure.Message, failure.Type, null);
            await context.Response.Body.WriteAsync("data: "u8.ToArray(), CancellationToken.None);
            await context.Response.Body.WriteAsync(error, CancellationToken.None);
            await context.Response.Body.WriteAsync("\n\n"u8.ToArray(), CancellationToken.None);
        }
        catch (IOException)
        {
            context.Abort();
        }
    }

    private async Task<AttemptFailure> ReadErrorAsync(ProviderCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var upstreamStatus = (int)response.StatusCode;
        var body = await ReadLimitedAsync(response.Content, cancellationToken);
        var error = call.Endpoint.Adapter.ParseError(body, upstreamStatus, response.Headers);
        var status = error.Status ?? upstreamStatus;
        ProxyLog.UpstreamError(logger, call.ModelGroup, call.DeploymentId, upstreamStatus);
        var retryAfter = response.Headers.RetryAfter;
        // A provider that refuses the deployment's key echoes part of it ("Incorrect API key provided: sk-proj-****abcd"):
        // that is the gateway's credential, not the client's business.
        var message = SecretScrubber.RedactCredentials(call.Endpoint.ApiKey is { Length: >= 8 } key ? error.Message.Replace(key, "[redacted]", StringComparison.Ordinal) : error.Message);
        return new AttemptFailure(status, error.Type ?? DefaultErrorType(status), message, error.Param, FailureKind.UpstreamError)
        {
            ObservedMessage = PromptEcho.Redact(message, call.Body.Span),
            RetryAfter = retryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - timeProvider.GetUtcNow(),
                _ => error.RetryAfter,
            },
            RetryAfterHeader = retryAfter?.ToString() ?? (error.RetryAfter is { } wait ? ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null),
            Fallback = UpstreamErrorClassifier.Classify(status, error),
            UnknownModel = error.Reason == UpstreamErrorReason.UnknownModel,
        };
    }

    // answering: the upstream had sent its status and headers; the failure came in the body. host: the one the request
    // went to (a regional endpoint the adapter chose, Bedrock's or Vertex AI's), else the deployment's.
    private AttemptFailure Describe(ProviderCall call, Exception exception, TimeSpan timeout, bool answering = false, string? host = null)
    {
        if (exception is OperationCanceledException)
        {
            var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            ProxyLog.UpstreamTimeout(logger, call.ModelGroup, call.DeploymentId, timeout.TotalSeconds);
            var message = call.Stream
                ? $"litellm.Timeout: the upstream of model group '{call.ModelGroup}' sent nothing for {seconds} s (stream_timeout)."
                : $"litellm.Timeout: the upstream of model group '{call.ModelGroup}' did not answer within {seconds} s (timeout).";
            return new AttemptFailure(StatusCodes.Status408RequestTimeout, "timeout", message, null, FailureKind.Timeout);
        }

        if (exception is StreamErrorEventException errorEvent)
        {
            // The provider's own failure, told in its stream: as an error status would be, not as a broken connection.
            ProxyLog.UpstreamStreamError(logger, call.ModelGroup, call.DeploymentId, errorEvent.Message);
            var said = $"litellm.APIError: the upstream of model group '{call.ModelGroup}' {errorEvent.Message}";
            return new AttemptFailure(StatusCodes.Status502BadGateway, "api_error", said, null, FailureKind.UpstreamError);
        }

        string problem;
        if (exception is UnreadableAnswerException unreadable)
        {
            ProxyLog.UpstreamAnswerUnusable(logger, call.ModelGroup, call.DeploymentId, unreadable.Message);
            problem = $"litellm.APIConnectionError: the upstream of model group '{call.ModelGroup}' sent an unusable answer: {unreadable.Message}";
        }
        else
        {
            var reason = Reason(exception, host ?? call.Endpoint.EndpointUri(call.Kind)?.Host);
            ProxyLog.UpstreamUnreachable(logger, call.ModelGroup, call.DeploymentId, reason);
            problem = answering
                ? $"litellm.APIConnectionError: the upstream of model group '{call.ModelGroup}' broke off its answer: {reason}"
                : $"litellm.APIConnectionError: could not reach the upstream of model group '{call.ModelGroup}': {reason}";
        }

        return new AttemptFailure(StatusCodes.Status502BadGateway, "api_connection_error", problem, null, FailureKind.ConnectionFailure);
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

    // The socket error in words an operator can act on, without the URL's credentials or any header: DNS and TLS
    // failures say what failed and for which host; other errors keep .NET's category and message.
    private static string Reason(Exception exception, string? host)
    {
        var inner = exception.InnerException?.Message ?? exception.Message;
        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } =>
                $"the host '{host}' could not be resolved (DNS: {inner})",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } when exception.InnerException is AuthenticationException =>
                $"TLS handshake failed: {TlsProblem(inner, host)} ({inner})",
            // HttpIOException's own message already ends with its category: "The response ended prematurely. (ResponseEnded)".
            HttpRequestException { HttpRequestError: var error } when error != HttpRequestError.Unknown && !inner.Contains($"({error})", StringComparison.Ordinal) => $"{error} ({inner})",
            _ => inner,
        };
    }

    // .NET names the SslPolicyErrors in the AuthenticationException's message; there is no typed field to read them from.
    private static string TlsProblem(string message, string? host)
    {
        var untrusted = message.Contains(nameof(SslPolicyErrors.RemoteCertificateChainErrors), StringComparison.Ordinal)
            || message.Contains("certificate chain", StringComparison.Ordinal);
        var mismatch = message.Contains(nameof(SslPolicyErrors.RemoteCertificateNameMismatch), StringComparison.Ordinal);
        return (untrusted, mismatch) switch
        {
            (true, true) => $"the upstream's TLS certificate is not trusted and does not match host {host}",
            (true, false) => "the upstream's TLS certificate is not trusted",
            (false, true) => $"the upstream's TLS certificate does not match host {host}",
            _ => "the upstream's TLS certificate was refused",
        };
    }

    // LiteLLM's litellm_remaining_requests_metric / _tokens_metric read these: OpenAI-compatible providers' names, else Anthropic's.
    private static void ReadRateLimits(HttpResponseMessage response, CallAttempt? attempt)
    {
        if (attempt is null)
        {
            return;
        }

        attempt.RemainingRequests = HeaderNumber(response, "x-ratelimit-remaining-requests") ?? HeaderNumber(response, "anthropic-ratelimit-requests-remaining");
        attempt.RemainingTokens = HeaderNumber(response, "x-ratelimit-remaining-tokens") ?? HeaderNumber(response, "anthropic-ratelimit-tokens-remaining");
    }

    private static long? HeaderNumber(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values)
        && long.TryParse(values.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
