using System.Buffers;
using System.Globalization;
using LlmGate.Calls;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace LlmGate.Proxy;

/// <summary>
/// Serves the OpenAI-compatible POST endpoints: reads <c>model</c> and <c>stream</c>, resolves the model group, and
/// hands the body's bytes to the attempt loop (deployment choice, retries, fallbacks, the answer streamed back).
/// This is the edge of a call: its <see cref="CallContext"/> starts here and ends here, whatever is thrown.
/// </summary>
internal sealed class ProxyHandler(
    GatewaySnapshotSource snapshots, AttemptLoop attemptLoop, CallTracker calls, UploadFolder uploads, ILogger<ProxyHandler> logger, ICallAdmission? admission = null)
{
    private const int InitialBodyBuffer = 4 * 1024;

    // The console's formatter is chosen once at start, from the first config: only the JSON one shows the call's scope,
    // so without it no scope is pushed at all.
    private readonly bool _callIdInLogs = snapshots.Current.Config.Observability.JsonLogs;

    public async Task HandleAsync(HttpContext context, ProxyEndpointKind kind, string? routeModel = null)
    {
        var call = calls.Start(context.Features.Get<CallerIdentity>() ?? CallerIdentity.Anonymous);
        using var scope = _callIdInLogs ? logger.BeginScope(new CallLogScope(call)) : null;
        try
        {
            await HandleAsync(context, call, snapshots.Current, kind, routeModel);
        }
        finally
        {
            // Every path ends the call itself; this is the net under whatever escaped (an adapter's bug, a header
            // Kestrel refuses), so nothing stays in flight.
            if (!call.HasEnded)
            {
                if (context.RequestAborted.IsCancellationRequested)
                {
                    call.Cancelled();
                }
                else
                {
                    call.Failed(CallFailure.Unhandled);
                }
            }
        }
    }

    private async Task HandleAsync(HttpContext context, CallContext call, GatewaySnapshot snapshot, ProxyEndpointKind kind, string? routeModel)
    {
        LiftServerBodyLimit(context);
        if (kind is ProxyEndpointKind.AudioTranscriptions or ProxyEndpointKind.AudioTranslations)
        {
            await HandleUploadAsync(context, call, snapshot, kind, routeModel);
            return;
        }

        if (context.Request.ContentType is { } contentType && !IsJson(contentType))
        {
            await RejectAsync(context, call, StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type must be application/json, not '{Cut(contentType, 100)}'. With curl, add --header 'Content-Type: application/json'.");
            return;
        }

        byte[]? rented = null;
        try
        {
            var limit = snapshot.Config.MaxRequestBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await WriteTooLargeAsync(context, call, limit);
                return;
            }

            int length;
            (rented, length) = await ReadBodyAsync(context.Request.Body, context.Request.ContentLength, limit, context.RequestAborted);
            if (length > limit)
            {
                await WriteTooLargeAsync(context, call, limit);
                return;
            }

            await RouteAsync(context, call, snapshot, kind, rented.AsMemory(0, length), routeModel);
        }
        catch (BadHttpRequestException exception)
        {
            await RefuseAsync(context, call, exception);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // A transcription or translation: multipart, its file spooled to disk rather than held (see AudioUploadForm).
    private async Task HandleUploadAsync(HttpContext context, CallContext call, GatewaySnapshot snapshot, ProxyEndpointKind kind, string? routeModel)
    {
        if (!AudioUploadForm.IsMultipart(context.Request.ContentType, out var boundary))
        {
            await RejectAsync(context, call, StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type must be multipart/form-data, not '{Cut(context.Request.ContentType ?? "none", 100)}'. With curl, send the audio with --form file=@audio.mp3 --form model=whisper-1.");
            return;
        }

        var limit = snapshot.Config.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await WriteTooLargeAsync(context, call, limit);
            return;
        }

        try
        {
            using var form = await AudioUploadForm.ReadAsync(context.Request, boundary, limit, uploads.Path, context.RequestAborted);
            await RouteAsync(context, call, snapshot, kind, form.Fields, routeModel, form.Upload);
        }
        catch (BadHttpRequestException exception)
        {
            await RefuseAsync(context, call, exception);
        }
    }

    private static async Task RefuseAsync(HttpContext context, CallContext call, BadHttpRequestException exception)
    {
        var (message, type) = DescribeBodyRefusal(context, exception);
        if (!context.Response.HasStarted)
        {
            await RejectAsync(context, call, exception.StatusCode, message, type: type);
        }
        else
        {
            call.Failed(new CallFailure(exception.StatusCode, type, message, FailureKind.InvalidRequest));
        }
    }

    private async Task RouteAsync(
        HttpContext context, CallContext call, GatewaySnapshot snapshot, ProxyEndpointKind kind, ReadOnlyMemory<byte> body, string? routeModel, AudioUpload? upload = null)
    {
        var requiredInput = kind switch
        {
            ProxyEndpointKind.ChatCompletions or ProxyEndpointKind.Messages => "messages",
            ProxyEndpointKind.Responses => "input",
            ProxyEndpointKind.Completions or ProxyEndpointKind.ImageGenerations => "prompt",
            ProxyEndpointKind.Rerank => "query",
            // The file was checked as the form was read.
            ProxyEndpointKind.AudioTranscriptions or ProxyEndpointKind.AudioTranslations => null,
            _ => "input",
        };
        var summary = RequestBodyInspector.Inspect(body.Span, requiredInput);
        summary.RouteModel = routeModel;
        if (summary.Error is { } error)
        {
            await RejectAsync(context, call, StatusCodes.Status400BadRequest, error);
            return;
        }

        if (string.IsNullOrEmpty(summary.RequestedModel))
        {
            await RejectAsync(context, call, StatusCodes.Status400BadRequest,
                "Missing required parameter: 'model'. Call `/v1/models` to view available models.", "model");
            return;
        }

        if (requiredInput is not null && (!summary.RequiredInputPresent || !summary.RequiredInputNotEmpty))
        {
            var message = summary.RequiredInputPresent
                ? $"'{requiredInput}' must not be empty."
                : $"Missing required parameter: '{requiredInput}'.";
            await RejectAsync(context, call, StatusCodes.Status400BadRequest, message, requiredInput);
            return;
        }

        if (!snapshot.Routes.TryResolve(summary.RequestedModel, out var match))
        {
            await RejectAsync(context, call, StatusCodes.Status400BadRequest,
                $"Invalid model name passed in model={Cut(summary.RequestedModel, 200)}. Call `/v1/models` to view available models for your key.",
                "model");
            return;
        }

        // A Messages or Responses body a deployment of the group needs bridged onto chat completions is translated now, so that one
        // that cannot be is the client's mistake (refused before routing, never counted for alerting).
        BridgedRequest? bridge = null;
        if (kind is ProxyEndpointKind.Messages or ProxyEndpointKind.Responses && AnyBridged(kind, match.Group))
        {
            try
            {
                bridge = BridgedRequest.For(kind, body.Span);
            }
            catch (ProviderRequestException exception)
            {
                await RejectAsync(context, call, StatusCodes.Status400BadRequest, exception.Message, exception.Param);
                return;
            }
        }

        call.Routed(match.Group.Name, summary.Stream, kind switch
        {
            ProxyEndpointKind.Completions => "atext_completion",
            ProxyEndpointKind.Embeddings => "aembedding",
            ProxyEndpointKind.Messages => "anthropic_messages",
            ProxyEndpointKind.Responses => "aresponses",
            ProxyEndpointKind.ImageGenerations => "aimage_generation",
            ProxyEndpointKind.AudioSpeech => "aspeech",
            ProxyEndpointKind.Moderations => "amoderation",
            ProxyEndpointKind.Rerank => "arerank",
            ProxyEndpointKind.AudioTranscriptions or ProxyEndpointKind.AudioTranslations => "atranscription",
            _ => "acompletion",
        }, match.WildcardCapture is null ? null : summary.RequestedModel);
        if (admission is not null && await admission.AdmitAsync(context, call, kind, body, summary, match.Group) is { } refusal)
        {
            // The key's own policy said no: the client's business, never counted against a deployment or paged.
            call.Failed(new CallFailure(refusal.Status, refusal.Type, refusal.Message, FailureKind.Refused));
            if (refusal.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await OpenAiError.WriteAsync(context, refusal.Status, refusal.Message, refusal.Type, refusal.Param);
            return;
        }

        await attemptLoop.RunAsync(context, call, snapshot, kind, body, summary, match, bridge, upload);
    }

    // Its own method: a lambda in RouteAsync capturing `kind` would cost every call a closure.
    private static bool AnyBridged(ProxyEndpointKind kind, ModelGroup group) => group.Deployments.Any(d => BridgedRequest.Needed(kind, d));

    /// <summary>
    /// For a handler that counts the body's bytes itself (<see cref="ReadBodyAsync"/>, <see cref="AudioUploadForm"/>):
    /// lifts Kestrel's own limit for this request. With it in place, a body over it is refused but never drained: the
    /// connection closes with the client still uploading, and the client sees "broken pipe" or "connection reset"
    /// (OpenAI's Python SDK retries that as a connection error) instead of the 413 and its message. Lifted, Kestrel
    /// reads the rest and throws it away after the answer, for at most its drain timeout of 5 s. Only after the caller
    /// is authenticated, so that nobody unknown can make the gateway drain anything.
    /// </summary>
    internal static void LiftServerBodyLimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = null;
        }
    }

    /// <summary>
    /// Reads <paramref name="body"/> into a pooled buffer, at most <paramref name="limit"/> + 1 bytes: a length over the
    /// limit means the body is too large (the rest is left unread). The caller returns the buffer to the pool. A
    /// <see cref="ValueTask{TResult}"/>: a small body is usually in already, and a Task would be allocated for its result.
    /// </summary>
    internal static async ValueTask<(byte[] Buffer, int Length)> ReadBodyAsync(Stream body, long? declaredLength, long limit, CancellationToken cancellationToken)
    {
        var size = declaredLength is { } declared ? (int)Math.Min(declared + 1, limit + 1) : InitialBodyBuffer;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 256));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return (buffer, length);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static Task WriteTooLargeAsync(HttpContext context, CallContext call, long limit) =>
        RejectAsync(context, call, StatusCodes.Status413PayloadTooLarge, TooLargeMessage(limit));

    public static string TooLargeMessage(long limit) =>
        $"Request body is larger than the limit of {(limit / (1024d * 1024)).ToString("0.##", CultureInfo.InvariantCulture)} MB (general_settings.max_request_size_mb).";

    // Refused before routing: the client's mistake, an error body and a failed call no deployment is blamed for.
    private static Task RejectAsync(HttpContext context, CallContext call, int status, string message, string? param = null, string type = "invalid_request_error")
    {
        call.Failed(new CallFailure(status, type, message, FailureKind.InvalidRequest));
        return OpenAiError.WriteAsync(context, status, message, type, param);
    }

    /// <summary>
    /// What a client is told when its request body was refused: Kestrel's own limits (body size, read timeout, a body
    /// cut short) and the upload's refusals. The message names the limit, never the content.
    /// </summary>
    internal static (string Message, string Type) DescribeBodyRefusal(HttpContext context, BadHttpRequestException exception) =>
        exception.StatusCode switch
        {
            StatusCodes.Status408RequestTimeout => (SlowBodyMessage(context), "timeout"),
            StatusCodes.Status413PayloadTooLarge when context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit =>
                (TooLargeMessage(limit), "invalid_request_error"), // Kestrel's, where its limit was not lifted
            _ => (exception.Message, "invalid_request_error"),
        };

    // Kestrel's only 408 while a body is read is its minimum request body rate (slowloris); its own text names a setting
    // the client cannot see, so say what happened and what the limit is.
    private static string SlowBodyMessage(HttpContext context)
    {
        var rate = context.Features.Get<IHttpMinRequestBodyDataRateFeature>()?.MinDataRate;
        var limit = rate is null
            ? ""
            : $" (the minimum is {rate.BytesPerSecond.ToString("0.##", CultureInfo.InvariantCulture)} bytes/s after the first {rate.GracePeriod.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s)";
        return $"The request body arrived too slowly{limit}, so the gateway stopped waiting for it. Send the whole body at once.";
    }

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
