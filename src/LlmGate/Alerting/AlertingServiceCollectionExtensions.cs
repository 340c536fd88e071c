using LlmGate.Alerting.Chat;
using LlmGate.Alerting.Conditions;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Email;
using LlmGate.Alerting.Messages;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Alerting.Silences;
using LlmGate.Alerting.Webhook;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Redis;
using LlmGate.Routing;
using LlmGate.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting;

/// <summary>Wires alerting: the observer the proxy calls, the detector, the outbox and notifier, each channel with its sender, status and fire drill.</summary>
internal static class AlertingServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateAlerting(this IServiceCollection services, GatewayConfig config, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        services.TryAddSingleton(TimeProvider.System);

        var options = config.Alerting;
        if (options is null)
        {
            // Off: no observer, no background work.
            return services;
        }

        var scopes = AlertScopes.Create(config, options.PerModelGroup);
        var rules = AlertRule.From(options);
        services.AddSingleton(scopes);
        services.AddSingleton(new SecretScrubber(Secrets(config, options)));

        if (config.Redis is not null)
        {
            // One set of windows and incidents for every replica, and a notice when Redis is lost for long.
            services.AddSingleton(sp => new RedisAlertStateStore(
                new InMemoryAlertStateStore(rules, scopes),
                rules,
                scopes,
                sp.GetRequiredService<RedisConnection>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RedisAlertStateStore>>()));
            services.TryAddSingleton<IAlertStateStore>(sp => sp.GetRequiredService<RedisAlertStateStore>());
            services.AddSingleton<IRedisParticipant>(sp => sp.GetRequiredService<RedisAlertStateStore>());
            services.AddSingleton<IRedisSyncObserver>(sp => new SharedStateLostNotice(
                sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<AlertNotifier>(), sp.GetRequiredService<TimeProvider>()));
        }

        // TryAdd: a store registered before this call (Redis above, or a test's) takes the place of the in-memory one.
        services.TryAddSingleton<IAlertStateStore>(_ => new InMemoryAlertStateStore(rules, scopes));
        services.AddSingleton(sp => new InFlightRegistry(
            options, sp.GetRequiredService<IAlertStateStore>(), scopes, sp.GetRequiredService<SecretScrubber>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ICallObserver>(sp => sp.GetRequiredService<InFlightRegistry>());
        services.AddSingleton(sp => new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(dataDirectory), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton(new AlertMessageBuilder(options));
        services.AddSingleton(sp => AlertRoutes.Create(sp.GetServices<IAlertChannel>(), options));
        services.AddSingleton(sp => new AlertNotifier(
            sp.GetRequiredService<SqliteAlertOutbox>(),
            sp.GetRequiredService<AlertRoutes>(),
            sp.GetRequiredService<IAlertSilencer>(),
            sp.GetRequiredService<ILogger<AlertNotifier>>()));
        if (options.PagerDuty is { } pagerDuty)
        {
            services.AddPagerDutyChannel(pagerDuty);
        }

        services.AddChatChannels(options);
        services.AddWebhookChannel(options);
        services.AddEmailChannel(options);
        services.AddTransient(sp => new AlertFireDrill(
            sp.GetServices<IAlertChannel>(), sp.GetRequiredService<SecretScrubber>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AlertFireDrill>>()));
        services.AddAlertSilences(config, dataDirectory);
        services.AddAlertConditions(config);

        services.AddSingleton(sp => new AlertDetector(
            sp.GetRequiredService<InFlightRegistry>(),
            sp.GetRequiredService<IAlertStateStore>(),
            scopes,
            options,
            sp.GetRequiredService<SqliteAlertOutbox>(),
            sp.GetRequiredService<AlertNotifier>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AlertDetector>>(),
            sp.GetService<IDeploymentHealth>(),
            sp.GetRequiredService<IncidentChanges>()));
        services.AddSingleton<IncidentChanges>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertDetector>());
        services.AddSingleton<IConfigReloadListener, AlertingReloadListener>();

        services.AddSingleton(sp => new AlertingStatusReporter(
            options,
            scopes,
            sp.GetRequiredService<IAlertStateStore>(),
            sp.GetRequiredService<InFlightRegistry>(),
            sp.GetRequiredService<SqliteAlertOutbox>(),
            sp.GetRequiredService<DeliveryLog>(),
            sp.GetServices<IAlertChannel>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IDeploymentHealth>(),
            sp.GetService<SilenceStore>()));
        return services;
    }

    /// <summary>What alert text must never carry: the routing key, the master key, the providers' keys and the channels' secrets.</summary>
    public static IEnumerable<string?> Secrets(GatewayConfig config, AlertingOptions options) =>
        [options.PagerDuty?.RoutingKey, config.MasterKey, .. config.Deployments.Select(d => d.ApiKey), .. ChannelSecrets(options.Channels)];

    // Webhook URLs embed their tokens; with the SMTP password and the webhook secret, they never reach a log line.
    private static IEnumerable<string?> ChannelSecrets(AlertChannelsOptions channels) =>
    [
        channels.Slack?.WebhookUrl?.OriginalString,
        .. channels.Slack?.UrlsByType.Values.SelectMany(urls => urls.Select(u => u.OriginalString)) ?? [],
        channels.Discord?.WebhookUrl.OriginalString,
        channels.Teams?.WebhookUrl.OriginalString,
        channels.Webhook?.Url.OriginalString,
        channels.Webhook?.Secret,
        channels.Email?.Password,
    ];
}
