using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.PagerDuty;

/// <summary>Wires the PagerDuty channel: its typed HttpClient and the channel with its own sender.</summary>
internal static class PagerDutyServiceCollectionExtensions
{
    public static IServiceCollection AddPagerDutyChannel(this IServiceCollection services, PagerDutyOptions options)
    {
        // Each send has its own timeout (PagerDutyClient.SendTimeout) on the TimeProvider, so the client has none.
        services.AddHttpClient(nameof(PagerDutyClient), http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddTypedClient((http, sp) => new PagerDutyClient(http, options, sp.GetRequiredService<TimeProvider>()))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectTimeout = PagerDutyClient.SendTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5), // the sender keeps its client; this follows DNS changes
            });
        services.AddSingleton(sp => new PagerDutyChannel(sp.GetRequiredService<PagerDutyClient>(), options));
        services.AddAlertChannel<PagerDutyChannel>();
        return services;
    }
}
