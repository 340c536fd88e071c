using System.Globalization;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting;

/// <summary>
/// Proves the whole path to every configured channel (or one kind of them): a test trigger under a fresh dedup key,
/// then its resolve, each through the channel's own Render and SendAsync, and the channel's answer to each. Goes
/// straight to the channel (not through the outbox) because the caller waits for the answers. Knows no channel by
/// name: whatever is registered as an <see cref="IAlertChannel"/> is drilled.
/// </summary>
internal sealed class AlertFireDrill(IEnumerable<IAlertChannel> channels, SecretScrubber scrubber, TimeProvider time, ILogger<AlertFireDrill> logger)
{
    public const string ClassName = "llmgate_fire_drill";
    public const string Title = "LlmGate fire drill";
    public const string Summary = "LlmGate fire drill: test alert, resolved automatically.";

    private readonly IReadOnlyList<IAlertChannel> _channels = [.. channels];

    /// <summary>The kinds of the configured channels (<c>pagerduty</c>, <c>slack</c>, …), in registration order.</summary>
    public IReadOnlyList<string> Kinds => [.. _channels.Select(c => c.Kind).Distinct(StringComparer.Ordinal)];

    public bool Has(string kind) => _channels.Any(c => c.Kind == kind);

    /// <summary>Drills every channel of <paramref name="kind"/>, or every channel when it is null; one after another.</summary>
    public async Task<FireDrillReport> RunAsync(string? kind, CancellationToken cancellationToken)
    {
        var dedupKey = DedupKeys.ForFireDrill(Guid.NewGuid());
        var results = new List<FireDrillResult>();
        foreach (var channel in _channels.Where(c => kind is null || c.Kind == kind))
        {
            var trigger = AlertNotification.Noticed(
                dedupKey, ClassName, ClassName, Title, new AlertNotice(Summary, AlertSeverity.Info), time.GetUtcNow());
            var triggerStep = await SendAsync(channel, trigger, cancellationToken);

            // Resolve even when the trigger failed: a channel drops a resolve for a key with no open alert.
            var resolve = AlertNotification.Resolved(dedupKey, ClassName, time.GetUtcNow()) with
            {
                Type = trigger.Type,
                Title = trigger.Title,
                Labels = trigger.Labels,
                OpenedAt = trigger.At,
            };
            var resolveStep = await SendAsync(channel, resolve, cancellationToken);
            results.Add(new FireDrillResult(channel.Name, channel.Kind, triggerStep, resolveStep));
        }

        return new FireDrillReport(dedupKey, results);
    }

    /// <summary>
    /// For <c>llmgate alert test --config PATH [--channel NAME]</c>: drills the configured channels (built as the gateway
    /// builds them), prints each one's answers, and returns 0 when every answer was a success, else 1.
    /// </summary>
    public static async Task<int> RunFromCliAsync(GatewayConfig config, string? channel, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        if (config.Alerting is null)
        {
            await output.WriteLineAsync($"Alerting is not configured: list channels in general_settings.alerting ({string.Join(", ", AlertTypeNames.Channels)}).");
            return 1;
        }

        // Nothing is written there: only the channels are built, and they keep nothing on disk.
        var unusedDataDirectory = Path.Combine(Path.GetTempPath(), "llmgate-fire-drill-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection().AddLogging().AddLlmGateAlerting(config, unusedDataDirectory);
        await using var provider = services.BuildServiceProvider();
        var drill = provider.GetRequiredService<AlertFireDrill>();
        if (NotDrillable(drill, channel) is { } problem)
        {
            await output.WriteLineAsync(problem);
            return 1;
        }

        var report = await drill.RunAsync(channel, cancellationToken);
        await output.WriteLineAsync($"Fire drill (dedup_key {report.DedupKey})");
        foreach (var result in report.Channels)
        {
            foreach (var step in new[] { result.Trigger, result.Resolve })
            {
                var status = step.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "no answer";
                await output.WriteLineAsync($"{result.Channel} {step.Action}: {status} {step.Description}{(step.Success ? "" : " (failed)")}");
            }
        }

        return report.Success ? 0 : 1;
    }

    /// <summary>For PagerDuty-only configs and their tests: every configured channel.</summary>
    public static Task<int> RunFromCliAsync(AlertingOptions alerting, TextWriter output, CancellationToken cancellationToken) =>
        RunFromCliAsync(new GatewayConfig { Deployments = [], Alerting = alerting }, null, output, cancellationToken);

    /// <summary>Why <paramref name="kind"/> cannot be drilled (no channel, or not one configured); null when it can.</summary>
    public static string? NotDrillable(AlertFireDrill? drill, string? kind)
    {
        var configured = drill?.Kinds ?? [];
        var list = configured.Count == 0 ? "none" : string.Join(", ", configured);
        if (kind is not null && !AlertTypeNames.Channels.Contains(kind))
        {
            return $"Unknown channel \"{kind}\": LlmGate's channels are {string.Join(", ", AlertTypeNames.Channels)} (configured: {list}).";
        }

        if (configured.Count == 0)
        {
            return $"Alerting is not configured: list alert channels in general_settings.alerting ({string.Join(", ", AlertTypeNames.Channels)}).";
        }

        return kind is not null && !drill!.Has(kind)
            ? $"The {kind} channel is not configured: add \"{kind}\" to general_settings.alerting (configured: {list})."
            : null;
    }

    private async Task<FireDrillStep> SendAsync(IAlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        var action = notification.Action == AlertAction.Trigger ? "trigger" : "resolve";
        string payload;
        try
        {
            payload = channel.Render(notification);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException)
        {
            FireDrillLog.RenderFailed(logger, exception, channel.Name, action, notification.DedupKey);
            return new FireDrillStep(action, false, null, "could not render the message");
        }

        var answer = await channel.SendAsync(payload, cancellationToken);
        var description = scrubber.Scrub(answer.Description);
        FireDrillLog.Answer(logger, channel.Name, action, notification.DedupKey, answer.StatusCode, description);
        return new FireDrillStep(action, answer.Delivered, answer.StatusCode, description);
    }
}
