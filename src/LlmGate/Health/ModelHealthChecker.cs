using System.Globalization;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Proxy;
using LlmGate.Routing;
using LlmGate.Secrets;
using Microsoft.Extensions.Logging;

namespace LlmGate.Health;

/// <summary>
/// Checks deployments as LiteLLM's <c>/health</c> does: one tiny real call each, all at once, each bounded by its
/// <c>health_check_timeout</c>, through the deployment's own adapter and the proxy's forwarder with no retry. These are
/// not client calls: no call context, so no observer (alerting, metrics, spend) ever sees them.
/// </summary>
internal sealed class ModelHealthChecker(
    UpstreamForwarder forwarder,
    ModelHealthStore store,
    GatewaySnapshotSource snapshots,
    UploadFolder uploads,
    TimeProvider time,
    ILogger<ModelHealthChecker> logger)
{
    /// <summary>
    /// The outcome of each check, in the order of <paramref name="targets"/>, each recorded in the store; a check
    /// cut short by <paramref name="cancellationToken"/> (shutdown, a caller gone) has none and records nothing.
    /// </summary>
    public async Task<IReadOnlyList<HealthCheckOutcome>> CheckAsync(IReadOnlyList<HealthTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var config = snapshots.Current.Config;
        var checks = new Task<HealthCheckOutcome?>[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            checks[i] = CheckAsync(targets[i], config, cancellationToken);
        }

        var outcomes = new List<HealthCheckOutcome>(targets.Count);
        foreach (var outcome in await Task.WhenAll(checks))
        {
            if (outcome is not null)
            {
                Record(outcome);
                outcomes.Add(outcome);
            }
        }

        return outcomes;
    }

    private async Task<HealthCheckOutcome?> CheckAsync(HealthTarget target, GatewayConfig config, CancellationToken cancellationToken)
    {
        var deployment = target.Deployment;
        var started = time.GetTimestamp();
        try
        {
            if (deployment.Config.MockResponse is not null)
            {
                return Healthy(target, started);
            }

            if (deployment.UnusableReason is { } reason)
            {
                return Unhealthy(target, started, $"cannot be called: {reason}", null);
            }

            using var upload = target.Kind == ProxyEndpointKind.AudioTranscriptions ? await HealthProbe.SpoolAudioAsync(uploads.Path, cancellationToken) : null;
            var call = Call(target, config, upload);
            var timeout = deployment.Config.HealthCheckTimeout ?? HealthProbe.DefaultTimeout;
            using var attempt = await forwarder.SendAsync(call, timeout, cancellationToken, callContext: null);
            if (attempt.ClientGone)
            {
                return null;
            }

            if (attempt.Failure is not { } failure)
            {
                return Healthy(target, started);
            }

            var error = failure.Kind == FailureKind.Timeout
                ? $"Health check timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (model_info.health_check_timeout)"
                : $"{failure.Status.ToString(CultureInfo.InvariantCulture)} {failure.Type}: {failure.Message}";
            return Unhealthy(target, started, error, failure);
        }
#pragma warning disable CA1031 // an adapter's bug fails this deployment's check, never the others' or the round
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            ModelHealthLog.CheckThrew(logger, exception, deployment.Id, target.Group.Name);
            return Unhealthy(target, started, $"the health check failed in the gateway ({exception.GetType().Name}); the details are in its log", null);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    // The request a client would have sent, with the deployment's own defaults applied as for any call.
    private static ProviderCall Call(HealthTarget target, GatewayConfig config, AudioUpload? upload)
    {
        var deployment = target.Deployment;
        var body = HealthProbe.Body(target.Kind, target.UpstreamModel, deployment.Config.HealthCheckMaxTokens ?? HealthProbe.DefaultMaxTokens);
        var summary = RequestBodyInspector.Inspect(body, HealthProbe.RequiredInput(target.Kind));
        var (callBody, callSummary) = RequestBodyDefaults.Apply(body, summary, deployment.Config);
        return new ProviderCall(target.Kind, target.Group.Name, deployment.Id, deployment.Endpoint, callBody, callSummary, target.UpstreamModel)
        {
            DropUnsupportedParams = deployment.Config.DropParams ?? config.DropParams,
            Upload = upload,
        };
    }

    private HealthCheckOutcome Healthy(HealthTarget target, long started) =>
        new(target, new ModelHealthResult(target.Deployment.Id, target.Group.Name, true, null, time.GetElapsedTime(started), time.GetUtcNow()), null);

    private HealthCheckOutcome Unhealthy(HealthTarget target, long started, string error, AttemptFailure? failure)
    {
        // The forwarder already took the deployment's key out of the provider's message; this also catches a bearer
        // token, a key-shaped string or an address anywhere in the text, and cuts it short.
        var endpoint = target.Deployment.Endpoint;
        var scrubbed = new SecretScrubber([endpoint.ApiKey, endpoint.BearerToken]).Scrub(error);
        return new(target, new ModelHealthResult(target.Deployment.Id, target.Group.Name, false, scrubbed, time.GetElapsedTime(started), time.GetUtcNow()), failure);
    }

    // One log line when a deployment turns unhealthy and one when it recovers, never one per round.
    private void Record(HealthCheckOutcome outcome)
    {
        var result = outcome.Result;
        var previous = store.Record(result);
        if (!result.Healthy && previous is not { Healthy: false })
        {
            ModelHealthLog.TurnedUnhealthy(logger, result.DeploymentId, result.ModelGroup, result.Error ?? "");
        }
        else if (result.Healthy && previous is { Healthy: false })
        {
            ModelHealthLog.Recovered(logger, result.DeploymentId, result.ModelGroup);
        }
    }
}
