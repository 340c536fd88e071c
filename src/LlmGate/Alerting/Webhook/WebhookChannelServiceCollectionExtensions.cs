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

        // Each send has its own timeout (WebhookChannel.SendTimeout) on the TimeProvider, so the client has none.
        services.AddHttpClient(nameof(WebhookChannel), http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // a redirect would carry the signed body somewhere the operator did not name
                UseCookies = false,
                ConnectTimeout = WebhookChannel.SendTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.AddSingleton(sp => new WebhookChannel(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WebhookChannel)),
            webhook,
            sp.GetRequiredService<AlertMessageBuilder>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddAlertChannel<WebhookChannel>();
        return services;
    }
}
