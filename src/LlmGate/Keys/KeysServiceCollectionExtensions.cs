using LlmGate.Alerting.Delivery;
using LlmGate.Auth;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Pricing;
using LlmGate.Proxy;
using LlmGate.Redis;
using LlmGate.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>
/// Wires virtual keys and spend: the store (SQLite under the data directory, or PostgreSQL), the in-memory directory
/// and ledger the request path uses, the checks before and after each call, and the writer that keeps the store in step.
/// </summary>
internal static class KeysServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateKeys(this IServiceCollection services, GatewayConfig config, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKeyStore>(sp => KeyStores.Create(config.Spend, dataDirectory, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<KeyDirectory>();
        services.AddSingleton<KeyStoreHealth>();
        services.AddSingleton(sp => config.Alerting is null
            ? new SpendLedger()
            : new SpendLedger(new BudgetAlerts(sp.GetRequiredService<AlertNotifier>(), sp.GetRequiredService<TimeProvider>())));
        if (config.Redis is not null)
        {
            services.AddSingleton<KeyChangeBroadcast>();
        }

        services.AddSingleton<IKeyChanges>(sp => new KeyChanges(sp.GetRequiredService<KeyDirectory>(), sp.GetService<KeyChangeBroadcast>()));
        services.AddSingleton<IVirtualKeyAuthenticator, KeyAuthenticator>();
        services.AddSingleton<CallPricing>();
        services.AddSingleton(sp => new KeyAdmission(
            sp.GetRequiredService<IModelPrices>(),
            sp.GetRequiredService<CallPricing>(),
            sp.GetRequiredService<SpendLedger>(),
            sp.GetRequiredService<TimeProvider>(),
            config.Redis is null ? null : new SharedRateLimits(sp.GetRequiredService<RedisConnection>()),
            config.Redis is null ? null : new SharedBudgets(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<TimeProvider>())));
        services.AddSingleton<ICallAdmission>(sp => sp.GetRequiredService<KeyAdmission>());
        services.AddSingleton<ICallObserver, SpendRecorder>();
        services.AddSingleton(sp => new SpendWriter(
            sp.GetRequiredService<IKeyStore>(),
            sp.GetRequiredService<KeyDirectory>(),
            sp.GetRequiredService<SpendLedger>(),
            sp.GetRequiredService<KeyStoreHealth>(),
            sp.GetRequiredService<GatewaySnapshotSource>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SpendWriter>>(),
            sp.GetService<AlertNotifier>(),
            sp.GetService<KeyChangeBroadcast>()));
        services.AddHostedService(sp => sp.GetRequiredService<SpendWriter>());
        services.AddHealthChecks().AddCheck<KeyStoreHealth>("database");
        return services;
    }
}
