using LlmGate.Alerting;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Keys;
using LlmGate.Redis;
using LlmGate.Routing;
using LlmGate.Ui.Live;
using LlmGate.Ui.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LlmGate.Ui;

/// <summary>Wires the operations console at <c>/ui</c>: its sign-in, live state and pages.</summary>
internal static class UiServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateUi(this IServiceCollection services, ConfigLoadResult loaded, string dataDirectory, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        services.AddSingleton(loaded); // the Config page shows validate's warnings
        services.AddSingleton(UiOptions.FromEnvironment(getEnvironmentVariable));
        services.AddRazorComponents();

        // Checked by each form's handler (no middleware on the request path); the token's cookie is the console's own.
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "llmgate_csrf";
            options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__csrf";
        });
        services.AddUiShell(dataDirectory);
        services.AddUiPages();
        return services;
    }

    // Data protection reads (or creates) its key ring in a hosted service that runs before Kestrel listens: XML parsing
    // and a file write on every start, for the console's sign-in only. Without it the ring is read on first use.
    private static void SkipKeyRingWarmUp(IServiceCollection services)
    {
        var warmUp = services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService");
        if (warmUp is not null)
        {
            services.Remove(warmUp);
        }
    }

    /// <summary>Sign-in, sessions, anti-forgery, assets, the live state (ring buffer, snapshot, events), Overview and Deployments.</summary>
    public static IServiceCollection AddUiShell(this IServiceCollection services, string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        services.TryAddSingleton(TimeProvider.System);

        // Sessions survive a restart: the keys that protect the cookie live under the data directory.
        services.AddDataProtection()
            .SetApplicationName("LlmGate")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "ui-keys")));
        SkipKeyRingWarmUp(services);
        services.AddSingleton<UiSessions>();
        services.AddSingleton<UiCredentials>();
        services.AddSingleton<LoginThrottle>();

        services.AddSingleton<UiMetrics>();
        services.AddSingleton<ICallObserver>(sp => sp.GetRequiredService<UiMetrics>());
        services.AddSingleton(sp => new UiSnapshotBuilder(
            sp.GetRequiredService<UiMetrics>(),
            sp.GetRequiredService<GatewaySnapshotSource>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<AlertingStatusReporter>(),
            sp.GetService<IDeploymentHealth>(),
            sp.GetService<RedisConnection>(),
            sp.GetService<KeyStoreHealth>()));
        services.AddSingleton<UiSnapshots>();
        services.AddHostedService(sp => sp.GetRequiredService<UiSnapshots>());
        return services;
    }

    /// <summary>Incidents, Silences, Keys and spend, Config.</summary>
    /// <remarks>
    /// The pages own no state: each reads the services of the feature it shows (alerting's status and delivery log,
    /// the silence editor, the key store, the config snapshot) per request, and shows a note when that feature is off.
    /// </remarks>
    public static IServiceCollection AddUiPages(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System); // the Keys page's spend window
        return services;
    }
}
