using LlmGate.Configuration;
using LlmGate.Providers;
using LlmGate.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Reload;

/// <summary>Wires config reload: the reloader, SIGHUP for the served gateway, and the opt-in file watch.</summary>
internal static class ReloadServiceCollectionExtensions
{
    /// <param name="configPath">The file the config came from; null when it came from text (tests), which cannot reload.</param>
    /// <param name="hangup">SIGHUP, caught by the served process from its start; null in tests' in-process gateways.</param>
    /// <param name="watch"><c>--watch-config</c>.</param>
    public static IServiceCollection AddLlmGateReload(
        this IServiceCollection services, ConfigLoadResult loaded, string? configPath, HangupSignal? hangup, bool watch, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        services.AddSingleton(sp => new ConfigReloader(
            configPath,
            loaded.SourceHash,
            getEnvironmentVariable,
            sp.GetRequiredService<GatewaySnapshotSource>(),
            sp.GetRequiredService<ProviderAdapters>(),
            sp.GetServices<IConfigReloadListener>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConfigReloader>>()));
        if (hangup is not null && configPath is not null)
        {
            services.AddSingleton(hangup); // the command line's: it disposes it
            services.AddHostedService<ReloadOnHangup>();
        }

        if (watch && configPath is not null)
        {
            services.AddSingleton<ConfigFileWatcher>();
            services.AddHostedService(sp => sp.GetRequiredService<ConfigFileWatcher>());
        }

        return services;
    }
}
