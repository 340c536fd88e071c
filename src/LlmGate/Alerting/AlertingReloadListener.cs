using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using LlmGate.Secrets;

namespace LlmGate.Alerting;

/// <summary>
/// Hands a reloaded config's thresholds and PagerDuty settings to the parts of alerting built with them. Windows,
/// open incidents and the outbox stay as they are: an incident open before the reload is neither lost nor paged again.
/// The new config's secrets join the scrubber before anything can be sent with them.
/// </summary>
internal sealed class AlertingReloadListener(
    SecretScrubber scrubber,
    InFlightRegistry registry,
    AlertDetector detector,
    AlertingStatusReporter reporter,
    IAlertStateStore store,
    PagerDutyChannel? pagerDuty = null) : IConfigReloadListener
{
    public void OnConfigReloaded(GatewayConfig previous, GatewayConfig current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Alerting is not { } options)
        {
            return; // turning alerting on or off needs a restart (RestartOnlySettings)
        }

        scrubber.Add(AlertingServiceCollectionExtensions.Secrets(current, options));
        registry.Reconfigure(options);
        detector.Reconfigure(options);
        reporter.Reconfigure(options);
        if (pagerDuty is not null && options.PagerDuty is { } pagerDutyOptions)
        {
            pagerDuty.Reconfigure(pagerDutyOptions, store.ListOpenIncidents().Select(i => i.DedupKey));
        }
    }
}
