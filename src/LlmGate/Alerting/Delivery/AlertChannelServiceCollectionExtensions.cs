using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Delivery;

/// <summary>Adds an alert channel: the notifier renders for it, and it gets a sender of its own.</summary>
internal static class AlertChannelServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="TChannel"/> (itself registered as a singleton by the caller) as a channel with its own sender.</summary>
    public static IServiceCollection AddAlertChannel<TChannel>(this IServiceCollection services)
        where TChannel : class, IAlertChannel
    {
        services.AddSingleton<IAlertChannel>(sp => sp.GetRequiredService<TChannel>());

        // Not AddHostedService: that adds one AlertSender at most, and every channel needs its own.
        services.AddSingleton<IHostedService>(sp => new AlertSender(
            sp.GetRequiredService<SqliteAlertOutbox>(),
            sp.GetRequiredService<TChannel>(),
            sp.GetRequiredService<DeliveryLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AlertSender>>(),
            new RetryBackoff()));
        return services;
    }
}
