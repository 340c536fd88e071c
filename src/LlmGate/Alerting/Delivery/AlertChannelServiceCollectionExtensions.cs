using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Delivery;

/// <summary>Adds an alert channel: the notifier renders for it, and it gets a sender of its own.</summary>
internal static class AlertChannelServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="TChannel"/> (itself registered as a singleton by the caller) as a channel with its own sender.</summary>
    public static IServiceCollection AddAlertChannel<TChannel>(this IServiceCollection services)
        where TChannel : class, IAlertChannel =>
        services.AddAlertChannel(sp => sp.GetRequiredService<TChannel>());

    /// <summary>
    /// Registers the channel <paramref name="create"/> makes (once) with its own sender: for a kind with several
    /// instances, such as Slack's lane per webhook, which registration by type cannot tell apart.
    /// </summary>
    public static IServiceCollection AddAlertChannel(this IServiceCollection services, Func<IServiceProvider, IAlertChannel> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var key = new object(); // the notifier and the sender share the one instance
        services.AddKeyedSingleton(key, (sp, _) => create(sp));
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IAlertChannel>(key));

        // Not AddHostedService: that adds one AlertSender at most, and every channel needs its own.
        services.AddSingleton<IHostedService>(sp => new AlertSender(
            sp.GetRequiredService<SqliteAlertOutbox>(),
            sp.GetRequiredKeyedService<IAlertChannel>(key),
            sp.GetRequiredService<DeliveryLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AlertSender>>(),
            new RetryBackoff()));
        return services;
    }
}
