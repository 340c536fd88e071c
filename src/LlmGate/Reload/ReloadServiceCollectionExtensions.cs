using LlmGate.Configuration;
using LlmGate.Hosting;
using LlmGate.Providers;
using LlmGate.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Reload;

/// <summary>Wires config reload: the reloader, SIGHUP for the served gateway, and the opt-in file watch.</summary>
internal static class ReloadServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateReload(
        this IServiceCollection services, ConfigLoadResult loaded, GatewayHostOptions hostOptions, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(hostOptions);
        services.AddSingleton(sp => new ConfigReloader(
            hostOptions.ConfigPath,
            loaded.SourceHash,
            getEnvironmentVariable,
            sp.GetRequiredService<GatewaySnapshotSource>(),
            sp.GetRequiredService<ProviderAdapters>(),
            sp.GetServices<IConfigReloadListener>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConfigReloader>>()));
        if (hostOptions.HandleSignals && hostOptions.ConfigPath is not null)
        {
            services.AddHostedService<ReloadOnHangup>();
        }

        if (hostOptions.WatchConfig && hostOptions.ConfigPath is not null)
        {
            services.AddSingleton<ConfigFileWatcher>();
            services.AddHostedService(sp => sp.GetRequiredService<ConfigFileWatcher>());
        }

        return services;
    }
}
