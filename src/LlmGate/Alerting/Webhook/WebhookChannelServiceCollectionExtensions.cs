using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.Webhook;

/// <summary>Wires the webhook channel when the config lists it: its HttpClient and the channel with its own sender.</summary>
internal static class WebhookChannelServiceCollectionExtensions
{
    public static IServiceCollection AddWebhookChannel(this IServiceCollection services, AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Channels.Webhook is not { } webhook)
        {
            return services;
        }

        WebhookClient.AddHttpClient(services, nameof(WebhookChannel));
        services.AddSingleton(sp => new WebhookChannel(
            WebhookClient.Create(sp, nameof(WebhookChannel)), webhook, sp.GetRequiredService<AlertMessageBuilder>()));
        services.AddAlertChannel<WebhookChannel>();
        return services;
    }
}
