using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGate.Alerting;

/// <summary>
/// Proves the whole path to on-call: sends a test trigger under a fresh dedup key, then its resolve, and returns
/// PagerDuty's answer to each. Goes straight to PagerDuty (not through the outbox) because the caller waits for the answer.
/// </summary>
internal sealed class AlertFireDrill(PagerDutyChannel pagerDuty, TimeProvider time, ILogger<AlertFireDrill> logger)
{
    public async Task<FireDrillResult> RunAsync(CancellationToken cancellationToken)
    {
        var dedupKey = DedupKeys.ForFireDrill(Guid.NewGuid());
        var options = pagerDuty.Options;
        var trigger = PagerDutyEventBuilder.FireDrillTrigger(dedupKey, options.Source, options.FailureSeverity, time.GetUtcNow());
        var triggerStep = await SendAsync(trigger, cancellationToken);

        // Resolve even when the trigger failed: PagerDuty drops a resolve for a key with no open alert.
        var resolveStep = await SendAsync(PagerDutyEventBuilder.Resolve(dedupKey), cancellationToken);
        return new FireDrillResult(dedupKey, triggerStep, resolveStep);
    }

    /// <summary>For <c>llmgate alert test --config PATH</c>: prints PagerDuty's answers; 0 when both were 2xx, else 1.</summary>
    public static async Task<int> RunFromCliAsync(AlertingOptions alerting, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerting);
        ArgumentNullException.ThrowIfNull(output);
        if (alerting.PagerDuty is not { } options)
        {
            await output.WriteLineAsync("PagerDuty is not configured: add \"pagerduty\" to general_settings.alerting and set PAGERDUTY_API_KEY.");
            return 1;
        }

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = PagerDutyClient.SendTimeout })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var channel = new PagerDutyChannel(new PagerDutyClient(http, options, TimeProvider.System), options);
        var drill = new AlertFireDrill(channel, TimeProvider.System, NullLogger<AlertFireDrill>.Instance);
        var result = await drill.RunAsync(cancellationToken);
        await output.WriteLineAsync($"Fire drill to {options.EventsUrl} (dedup_key {result.DedupKey})");
        foreach (var step in new[] { result.Trigger, result.Resolve })
        {
            await output.WriteLineAsync($"{step.Action}: {step.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"} {step.Error ?? step.Body}");
        }

        return result.Success ? 0 : 1;
    }

    private async Task<FireDrillStep> SendAsync(PagerDutyEvent alertEvent, CancellationToken cancellationToken)
    {
        var answer = await pagerDuty.PostAsync(alertEvent.BodyWithoutRoutingKey, cancellationToken);
        var body = pagerDuty.Scrub(answer.Body);
        AlertingLog.FireDrillAnswer(logger, alertEvent.Action, alertEvent.DedupKey, answer.StatusCode, answer.Error ?? body);
        return new FireDrillStep(alertEvent.Action, answer.IsSuccess, answer.StatusCode, body, answer.Error);
    }
}
