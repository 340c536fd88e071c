using System.Globalization;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmGate.Proxy;

/// <summary>
/// Serves one routed request: picks a deployment, makes the attempt, and on a retryable failure tries again
/// (another healthy deployment when there is one, after a back-off that honours Retry-After), then the fallback
/// groups. Only the final outcome reaches the client, and nothing is retried once a byte has. Each attempt is recorded
/// on the call's context as it starts and ends; the edge ends the call.
/// </summary>
internal sealed class AttemptLoop(
    UpstreamForwarder forwarder,
    MockResponder mockResponder,
    DeploymentPicker picker,
    DeploymentCooldowns cooldowns,
    IDeploymentHealth health,
    TimeProvider time,
    Random random,
    ILogger<AttemptLoop> logger)
{
    private static readonly string[] SmallNumbers = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <param name="bridge">For <see cref="ProxyEndpointKind.Messages"/> and <see cref="ProxyEndpointKind.Responses"/>: the body
    /// translated for deployments that do not speak that API, when the handler already made it; otherwise made here on the
    /// first such attempt.</param>
    /// <param name="upload">For transcriptions and translations: the audio file, sent again by every attempt.</param>
    public async Task RunAsync(
        HttpContext context, CallContext call, GatewaySnapshot snapshot, ProxyEndpointKind kind, ReadOnlyMemory<byte> body, RequestSummary summary, RouteMatch requested,
        BridgedRequest? bridge = null, AudioUpload? upload = null)
    {
        var options = snapshot.Config.Router;
        AttemptFailure? failure = null;
        Deployment? lastDeployment = null;
        var lastGroup = requested.Group;
        var lastRetries = 0;
        var fallbacksTried = 0;
        IReadOnlyList<string>? fallbackGroups = null;
        var nextFallback = 0;
        var match = requested;
        var modelName = summary.RequestedModel!;

        // A Responses call continuing a stored response goes to the deployment that stores it, and only there.
        var pinned = kind == ProxyEndpointKind.Responses ? ResponsesApi.PinnedDeployment(body.Span) : null;
        while (true)
        {
            var group = match.Group;
            var tried = pinned is null ? 0UL : OnlyDeployment(group, pinned);
            var retryBudget = -1;
            for (var attempt = 0; ; attempt++)
            {
                var now = time.GetUtcNow();
                var pick = picker.Pick(group, tried, now);
                if (attempt > 0)
                {
                    if (WaitBeforeRetry(options, pick, lastDeployment!, failure!, attempt, now) is not { } wait)
                    {
                        break;
                    }

                    if (wait > TimeSpan.Zero)
                    {
                        ProxyLog.Retrying(logger, group.Name, attempt, failure!.Status, lastDeployment!.Id, wait.TotalMilliseconds);
                        try
                        {
                            await Task.Delay(wait, time, context.RequestAborted);
                        }
                        catch (OperationCanceledException)
                        {
                            ProxyLog.ClientDisconnected(logger, group.Name);
                            call.Cancelled();
                            return;
                        }

                        now = time.GetUtcNow();
                        pick = picker.Pick(group, tried, now);
                    }

                    if (pick.Deployment is null)
                    {
                        break;
                    }
                }

                if (pick.Deployment is not { } deployment)
                {
                    failure = NoDeployments(group, pick, now);
                    break;
                }

                tried = DeploymentPicker.MarkTried(tried, pick.Index);
                if (retryBudget < 0)
                {
                    retryBudget = deployment.Config.NumRetries ?? deployment.Config.MaxRetries ?? options.NumRetries;
                }

                (lastDeployment, lastGroup, lastRetries) = (deployment, group, attempt);
                var upstreamModel = deployment.UpstreamModel(modelName, match.WildcardCapture);
                var (attemptKind, attemptBody, attemptSummary) = (kind, body, summary);
                if (BridgedRequest.Needed(kind, deployment))
                {
                    if (!TryBridge(kind, body, ref bridge, out var bridgeFailure))
                    {
                        failure = bridgeFailure;
                        break;
                    }

                    (attemptKind, attemptBody, attemptSummary) = (ProxyEndpointKind.ChatCompletions, bridge!.Body, bridge.Summary);
                }

                var bridged = attemptKind != kind;
                if ((summary.MockResponse ?? deployment.Config.MockResponse) is { } mockText)
                {
                    AddRoutingHeaders(context.Response, call, group, deployment, attempt, fallbacksTried);
                    call.Usage = bridged
                        ? await BridgedMockAsync(context, kind, attemptKind, upstreamModel, mockText, summary.Stream)
                        : await mockResponder.WriteAsync(context, kind, upstreamModel, mockText, summary.Stream, summary.IncludeUsage);
                    call.Completed();
                    return;
                }

                call.StartAttempt(group.Name, deployment.Id, deployment.ProviderName, upstreamModel);
                if (deployment.UnusableReason is { } reason)
                {
                    // The picker offers one only when no callable deployment is left; nothing to retry.
                    ProxyLog.DeploymentUnusable(logger, group.Name, deployment.Id, reason);
                    failure = new AttemptFailure(
                        StatusCodes.Status500InternalServerError,
                        "internal_server_error",
                        $"Deployment '{deployment.Id}' of model group '{group.Name}' cannot be called: {reason}.",
                        null,
                        FailureKind.Gateway);
                    break;
                }

                var (callBody, callSummary) = RequestBodyDefaults.Apply(attemptBody, attemptSummary, deployment.Config);
                var providerCall = new ProviderCall(attemptKind, group.Name, deployment.Id, deployment.Endpoint, callBody, callSummary, upstreamModel)
                {
                    DropUnsupportedParams = summary.DropParams || (deployment.Config.DropParams ?? snapshot.Config.DropParams),
                    AskForStreamUsage = callSummary.Stream && !callSummary.IncludeUsage && attemptKind is ProxyEndpointKind.ChatCompletions or ProxyEndpointKind.Completions
                        && snapshot.Config.AlwaysIncludeStreamUsage && deployment.Endpoint.AcceptsStreamUsageRequest,
                    BridgedFrom = bridged ? kind : null,
                    ClientHeaders = attemptKind == ProxyEndpointKind.Messages ? MessagesClientHeaders(context.Request.Headers) : [],
                    Upload = upload,
                };
                if (deployment.Config.Rpm is not null)
                {
                    deployment.Load.CountRequest(DeploymentPicker.MinuteOf(now));
                }

                var load = deployment.Load;
                load.Begin();
                var started = time.GetTimestamp();
                try
                {
                    using var outcome = await forwarder.SendAsync(context, snapshot.Config, providerCall, call);
                    if (outcome.ClientGone)
                    {
                        ProxyLog.ClientDisconnected(logger, group.Name);
                        call.Cancelled();
                        return;
                    }

                    if (outcome.Response is not null)
                    {
                        load.RecordLatency(time.GetElapsedTime(started));
                        call.EndAttempt((int)outcome.Response.StatusCode, null);
                        AddRoutingHeaders(context.Response, call, group, deployment, attempt, fallbacksTried);
                        if (await forwarder.RelayAsync(context, providerCall, outcome, call) is not { } relayFailure)
                        {
                            return;
                        }

                        if (relayFailure.BlockedAnswer is null)
                        {
                            RecordFailedAttempt(options, group, deployment, relayFailure);
                            if (relayFailure.AfterFirstByte)
                            {
                                return;
                            }
                        }

                        // A body that broke off before anything reached the client is retried like any failed attempt;
                        // a safety block is the prompt's doing, not the deployment's: only a content-policy fallback may follow.
                        failure = relayFailure;
                    }
                    else
                    {
                        failure = outcome.Failure!;
                        if (failure.Kind == FailureKind.Timeout)
                        {
                            load.RecordLatency(time.GetElapsedTime(started));
                        }

                        call.EndAttempt(failure.Status, failure.Kind);
                        RecordFailedAttempt(options, group, deployment, failure);
                    }
                }
                finally
                {
                    load.End();
                }

                if (!failure.IsRetryable || attempt >= retryBudget)
                {
                    break;
                }
            }

            // The group's retries are spent: the next fallback group, if the failure allows one.
            fallbackGroups ??= FallbacksFor(options, requested, summary.RequestedModel!, failure!.Fallback);
            if (!TryNextFallback(snapshot.Routes, options, fallbackGroups, failure!, group, ref nextFallback, ref fallbacksTried, ref match, ref modelName))
            {
                break;
            }
        }

        if (lastDeployment is not null)
        {
            AddRoutingHeaders(context.Response, call, lastGroup, lastDeployment, lastRetries, fallbacksTried);
        }

        if (failure!.BlockedAnswer is { } blocked)
        {
            // No content-policy fallback took over: the provider's own answer (finish_reason content_filter), as LiteLLM serves it.
            await WriteBlockedAnswerAsync(context, blocked);
            call.Usage = blocked.Usage;
            call.Completed();
            return;
        }

        call.Failed(failure.ToCallFailure());
        await UpstreamForwarder.WriteFailureAsync(context, failure);
    }

    // Its own method: inside RunAsync the lambda's captures would be hoisted into closures allocated on every call.
    private Task<TokenUsage?> BridgedMockAsync(HttpContext context, ProxyEndpointKind kind, ProxyEndpointKind attemptKind, string upstreamModel, string mockText, bool stream) =>
        BridgeBody.RelayAsync(context, kind, stream, upstreamModel, async () => await mockResponder.WriteAsync(context, attemptKind, upstreamModel, mockText, stream), context.RequestAborted);

    // Every deployment of the group but the one named counts as tried, so the picker offers that one or none; a group
    // without it is left as it is.
    private static ulong OnlyDeployment(ModelGroup group, string deploymentId)
    {
        var index = -1;
        for (var i = 0; i < group.Deployments.Count; i++)
        {
            index = group.Deployments[i].Id == deploymentId ? i : index;
        }

        var tried = 0UL;
        for (var i = 0; index >= 0 && i < group.Deployments.Count; i++)
        {
            tried = i == index ? tried : DeploymentPicker.MarkTried(tried, i);
        }

        return tried;
    }

    // A fallback group that does not speak the client's API, after a first group that did: the translation is made now.
    private static bool TryBridge(ProxyEndpointKind kind, ReadOnlyMemory<byte> body, ref BridgedRequest? bridge, out AttemptFailure? failure)
    {
        failure = null;
        if (bridge is not null)
        {
            return true;
        }

        try
        {
            bridge = BridgedRequest.For(kind, body.Span);
            return true;
        }
        catch (ProviderRequestException exception)
        {
            failure = new AttemptFailure(StatusCodes.Status400BadRequest, "invalid_request_error", exception.Message, exception.Param, FailureKind.InvalidRequest)
            {
                Fallback = FallbackTrigger.None,
            };
            return false;
        }
    }

    // What Anthropic's API reads from the client's headers, passed on to a Messages API upstream as the client sent them.
    private static KeyValuePair<string, string>[] MessagesClientHeaders(IHeaderDictionary headers)
    {
        var version = headers["anthropic-version"];
        var beta = headers["anthropic-beta"];
        return [.. version.Select(v => new KeyValuePair<string, string>("anthropic-version", v!)), .. beta.Select(v => new KeyValuePair<string, string>("anthropic-beta", v!))];
    }

    private static async Task WriteBlockedAnswerAsync(HttpContext context, BlockedAnswer answer)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = answer.ContentType;
        response.ContentLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }

    /// <summary>
    /// The wait before the next attempt; null when there is none to make: no deployment will be available soon
    /// enough, or the one left asked for more than a minute.
    /// </summary>
    private TimeSpan? WaitBeforeRetry(RouterOptions options, PickResult pick, Deployment failed, AttemptFailure failure, int retry, DateTimeOffset now)
    {
        if (pick.Deployment is null)
        {
            // All cooling down (the one that just failed included): wait for the first to come back, if soon.
            return pick.CoolingDownUntil is { } end && end - now <= RetryDelay.MaxRetryAfter
                ? Max(end - now, options.MinRetryWait)
                : null;
        }

        // Another healthy deployment need not wait for the failed one's back-off.
        return ReferenceEquals(pick.Deployment, failed)
            ? RetryDelay.SameDeployment(retry, failure.RetryAfter, options.MinRetryWait, random.NextDouble())
            : options.MinRetryWait;
    }

    private bool TryNextFallback(
        RouteTable routes,
        RouterOptions options,
        IReadOnlyList<string> fallbackGroups,
        AttemptFailure failure,
        ModelGroup failedGroup,
        ref int nextFallback,
        ref int fallbacksTried,
        ref RouteMatch match,
        ref string modelName)
    {
        if (failure.Fallback == FallbackTrigger.None)
        {
            return false;
        }

        while (nextFallback < fallbackGroups.Count && fallbacksTried < options.MaxFallbacks)
        {
            var name = fallbackGroups[nextFallback++];
            if (!routes.TryResolve(name, out var next))
            {
                ProxyLog.UnknownFallback(logger, name);
                continue;
            }

            ProxyLog.FallingBack(logger, failedGroup.Name, failure.Status, next.Group.Name);
            (match, modelName) = (next, name);
            fallbacksTried++;
            return true;
        }

        return false;
    }

    private static IReadOnlyList<string> FallbacksFor(RouterOptions options, RouteMatch requested, string requestedModel, FallbackTrigger trigger) => trigger switch
    {
        FallbackTrigger.ContextWindow => Lookup(options.ContextWindowFallbacks, requested, requestedModel) ?? [],
        FallbackTrigger.ContentPolicy => Lookup(options.ContentPolicyFallbacks, requested, requestedModel) ?? [],
        FallbackTrigger.General => Lookup(options.Fallbacks, requested, requestedModel) ?? options.DefaultFallbacks,
        _ => [],
    };

    // The group's own entry, else LiteLLM's "*" that applies to every group without one. A call a wildcard group
    // (openai/*) serves is, in LiteLLM, of the group named as asked: its entry is the model asked for, as written
    // ("openai/gpt-4o") or without the provider prefix ("gpt-4o"), before the pattern's own.
    private static IReadOnlyList<string>? Lookup(IReadOnlyDictionary<string, IReadOnlyList<string>> map, RouteMatch requested, string requestedModel)
    {
        if (map.Count == 0)
        {
            return null;
        }

        if (requested.WildcardCapture is not null)
        {
            if (map.TryGetValue(requestedModel, out var asked))
            {
                return asked;
            }

            if (requestedModel.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash && map.TryGetValue(requestedModel[(slash + 1)..], out var unprefixed))
            {
                return unprefixed;
            }
        }

        return map.TryGetValue(requested.Group.Name, out var list) ? list : map.GetValueOrDefault("*");
    }

    private void RecordFailedAttempt(RouterOptions options, ModelGroup group, Deployment deployment, AttemptFailure failure)
    {
        if (!failure.IsUpstreamFailure)
        {
            return;
        }

        var now = time.GetUtcNow();
        health.RecordFailedAttempt(deployment.Id, group.Name, failure.Status, now);
        var coolFor = failure.Status == StatusCodes.Status429TooManyRequests ? failure.RetryAfter : null;
        if (cooldowns.RecordFailure(options, group, deployment.Id, failure.Status, failure.CountsForCooldown, coolFor, now) is { } until)
        {
            ProxyLog.CooldownStarted(logger, deployment.Id, group.Name, until, failure.Status);
        }
    }

    private AttemptFailure NoDeployments(ModelGroup group, PickResult pick, DateTimeOffset now)
    {
        var waitSeconds = pick.CoolingDownUntil is { } end ? Math.Max(1, (int)Math.Ceiling((end - now).TotalSeconds)) : 60 - now.Second;
        var reason = pick.AllAtRateLimit
            ? "every deployment has reached its rpm limit for this minute"
            : "every deployment is cooling down after failures";
        ProxyLog.NoDeployments(logger, group.Name, reason);
        var seconds = waitSeconds.ToString(CultureInfo.InvariantCulture);
        return new AttemptFailure(
            StatusCodes.Status429TooManyRequests,
            "rate_limit_error",
            $"No deployments available for selected model, Try again in {seconds} seconds. Passed model={group.Name}. Reason: {reason}.",
            null,
            FailureKind.Gateway)
        {
            RetryAfterHeader = seconds,
        };
    }

    private static void AddRoutingHeaders(HttpResponse response, CallContext call, ModelGroup group, Deployment deployment, int retries, int fallbacks)
    {
        var headers = response.Headers;
        headers["x-litellm-call-id"] = call.CallId;
        headers["x-litellm-model-id"] = deployment.Id;
        headers["x-litellm-model-group"] = group.Name;
        if (deployment.Endpoint.PublicApiBase is { } apiBase)
        {
            headers["x-litellm-model-api-base"] = apiBase;
        }
        else
        {
            headers.Remove("x-litellm-model-api-base");
        }

        headers["x-litellm-attempted-retries"] = Count(retries);
        headers["x-litellm-attempted-fallbacks"] = Count(fallbacks);
    }

    private static string Count(int value) => value < SmallNumbers.Length ? SmallNumbers[value] : value.ToString(CultureInfo.InvariantCulture);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
