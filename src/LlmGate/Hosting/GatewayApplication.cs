using LlmGate.Alerting;
using LlmGate.Auth;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Health;
using LlmGate.Keys;
using LlmGate.Messages;
using LlmGate.Observability;
using LlmGate.Observability.Logging;
using LlmGate.Observability.Metrics;
using LlmGate.Pricing;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Proxy;
using LlmGate.Redis;
using LlmGate.Reload;
using LlmGate.Routing;
using LlmGate.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Hosting;

/// <summary>Builds the gateway's web application from a loaded config: services, middleware and endpoints.</summary>
internal static class GatewayApplication
{
    public static WebApplication Build(
        ConfigLoadResult loaded,
        GatewayHostOptions hostOptions,
        Func<string, string?> getEnvironmentVariable,
        Action<IServiceCollection>? configureServices = null)
    {
        var config = loaded.Config ?? throw new ArgumentException("The config has errors.", nameof(loaded));
        // The content root is the gateway's own folder, not wherever it was started: it serves no files, and a
        // stray appsettings.json in the caller's directory (or a file watcher over it) has no business in the gateway.
        // Paths from the command line arrive absolute.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = config.MaxRequestBodyBytes;
        });
        builder.WebHost.UseUrls($"{(hostOptions.Tls ? "https" : "http")}://{FormatHost(hostOptions.Host)}:{hostOptions.Port}");
        if (hostOptions.Tls)
        {
            builder.WebHost.UseKestrelHttpsConfiguration(); // the slim builder leaves HTTPS out unless asked
            AddListenerTls(builder.Services, hostOptions);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // A start that fails (a port in use) is told once, by the command line, not also as the host's stack trace; a
        // background service that crashes is still logged, as Critical with its exception.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Logging.AddLlmGateLogging(config.Observability);

        var services = builder.Services;
        if (hostOptions.DetailedDebug)
        {
            builder.Logging.AddFilter("LlmGate", LogLevel.Debug);
            services.AddSingleton<ICallObserver, CallDebugLog>();
        }

        services.TryAddSingleton(TimeProvider.System);
        AddShutdown(services, hostOptions);
        services.AddLlmGateProviders();
        services.AddSingleton(sp => new GatewaySnapshotSource(
            new GatewaySnapshot(config, new RouteTable(config.Deployments, sp.GetRequiredService<ProviderAdapters>(), getEnvironmentVariable, aliases: config.Router.ModelGroupAlias))));
        services.AddSingleton<UpstreamClient>();
        services.AddSingleton(new ClientStallLimit(hostOptions.ClientStallTimeout));
        services.AddSingleton(UploadFolder.Default);
        services.AddSingleton<UpstreamForwarder>();
        services.AddLlmGateRedis(config); // first: its shared stores take the place of the router's and alerting's in-memory ones
        services.AddLlmGateRouter(config);
        services.AddSingleton<AttemptLoop>();
        services.AddSingleton<MockResponder>();
        services.AddSingleton<ProxyHandler>();
        services.AddSingleton<CallTracker>();
        services.AddHealthChecks();
        services.AddLlmGateAlerting(config, hostOptions.DataDirectory);
        services.AddLlmGatePricing(hostOptions.DataDirectory);
        services.AddLlmGateKeys(config, hostOptions.DataDirectory);
        services.AddSingleton(KeyManagementOptions.FromEnvironment(getEnvironmentVariable));
        services.AddLlmGateModelHealth(config);
        services.AddLlmGateObservability(config, getEnvironmentVariable);
        services.AddLlmGateUi(loaded, hostOptions.DataDirectory, getEnvironmentVariable);
        services.AddLlmGateReload(loaded, hostOptions.ConfigPath, hostOptions.Hangup, hostOptions.WatchConfig, getEnvironmentVariable);
        configureServices?.Invoke(services);

        var app = builder.Build();
        // Built now rather than on the first request, so that a deployment that can never work stops the start.
        var routes = app.Services.GetRequiredService<GatewaySnapshotSource>().Current.Routes;
        if (routes.ConfigurationErrors() is { Count: > 0 } problems)
        {
            ((IDisposable)app).Dispose();
            throw new GatewayStartException(problems);
        }

        if (hostOptions.Tls)
        {
            try
            {
                _ = app.Services.GetRequiredService<ListenerCertificate>();
            }
            catch (GatewayStartException)
            {
                ((IDisposable)app).Dispose();
                throw;
            }
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteUnhandledAsync, SuppressDiagnosticsCallback = _ => true });
        // Routing has already run (WebApplication puts it first), so the proxied routes, which write their own error
        // bodies, are known here and skip the status-code pages: ~300 B and an async frame less per call.
        app.UseWhen(
            static context => context.GetEndpoint()?.Metadata.GetMetadata<ISkipStatusCodePagesMetadata>() is null,
            branch => branch.UseStatusCodePages(context => WriteStatusOnlyAsync(context.HttpContext)));
        app.UseMessagesErrorShape();
        app.UseMiddleware<MasterKeyMiddleware>();
        app.MapLlmGateHealth();
        app.MapLlmGateProxy();
        app.MapCountTokens();
        app.MapLlmGateAlerting();
        app.MapLlmGateUi();
        app.MapLlmGateKeyManagement();
        app.MapLlmGateMetrics();
        app.MapLlmGateReload();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LlmGate");
        foreach (var warning in loaded.Warnings)
        {
            GatewayLog.ConfigWarning(logger, warning.ToString());
        }

        if (config.MasterKey is null)
        {
            GatewayLog.NoMasterKey(logger);
        }

        if (app.Services.GetRequiredService<ModelPrices>().Unpriced(config.Deployments) is { Count: > 0 } unpriced)
        {
            PricingLog.UnpricedDeployments(logger, unpriced.Count, string.Join(", ", unpriced.Select(d => $"{d.ModelName} ({d.Model})")));
        }

        var serving = ServingReport.Of(config.Deployments, routes);
        foreach (var unservable in serving.Unservable)
        {
            GatewayLog.DeploymentUnservable(logger, unservable);
        }

        GatewayLog.Serving(logger, serving.Summary);

        return app;
    }

    // The host's own deadline leaves room after the streams are cut for their error events and the services' own stops.
    private static void AddShutdown(IServiceCollection services, GatewayHostOptions hostOptions)
    {
        services.Configure<HostOptions>(host => host.ShutdownTimeout = hostOptions.ShutdownTimeout + TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => new ShutdownDrain(sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<TimeProvider>(), hostOptions.ShutdownTimeout));
        services.AddHealthChecks().AddCheck<ShutdownDrain>("shutdown");
        if (hostOptions.HandleSignals)
        {
            services.AddSingleton<IHostLifetime, SignalLifetime>();
        }
    }

    // HTTPS with HTTP/2 for the clients that ask for it (ALPN), the certificate picked per handshake so a rotated
    // one is served without a restart. Loaded once at start, so a missing or broken pair stops the start.
    private static void AddListenerTls(IServiceCollection services, GatewayHostOptions hostOptions)
    {
        services.AddSingleton(sp => new ListenerCertificate(
            hostOptions.TlsCertificatePath!, hostOptions.TlsKeyPath!, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("LlmGate")));
        services.AddOptions<KestrelServerOptions>().Configure<ListenerCertificate>((kestrel, certificate) =>
        {
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificateSelector = (_, _) => certificate.Current);
        });
    }

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    // Never a stack trace: the details go to the log, the client gets an OpenAI-shaped 500. A body Kestrel refused (over
    // max_request_size_mb, too slow, cut short) or a form over ASP.NET's form limits is the client's doing, read by code
    // that did not catch it (the form reader, the antiforgery check, which wraps it): the refusal's own status, and no
    // error in the log that anyone could write there unauthenticated through the sign-in form.
    private static Task WriteUnhandledAsync(HttpContext context)
    {
        var feature = context.Features.Get<IExceptionHandlerFeature>();
        for (var error = feature?.Error; error is not null; error = error.InnerException)
        {
            if (error is Microsoft.AspNetCore.Http.BadHttpRequestException refused)
            {
                var (message, type) = ProxyHandler.DescribeBodyRefusal(context, refused);
                return OpenAiError.WriteAsync(context, refused.StatusCode, message, type);
            }

            if (error is InvalidDataException && context.Request.HasFormContentType)
            {
                return OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, "The form could not be read: " + error.Message, "invalid_request_error");
            }
        }

        if (feature is not null)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LlmGate");
            GatewayLog.Unhandled(logger, feature.Error, context.Request.Path);
        }

        return OpenAiError.WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal error in the gateway; the details are in its log.", "internal_server_error");
    }

    // 404 and 405 from routing get the same error shape as everything else.
    private static Task WriteStatusOnlyAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var message = status switch
        {
            StatusCodes.Status404NotFound => $"Route not found: {context.Request.Method} {context.Request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"Method {context.Request.Method} is not allowed on {context.Request.Path}.",
            _ => $"HTTP {status}.",
        };
        return OpenAiError.WriteAsync(context, status, message, status == StatusCodes.Status404NotFound ? "not_found_error" : "invalid_request_error");
    }
}
