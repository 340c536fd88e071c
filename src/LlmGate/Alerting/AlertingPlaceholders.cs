using LlmGate.Configuration;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting;

// Temporary until the alerting subsystem lands from its branch.
internal static class AlertingServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateAlerting(this IServiceCollection services, GatewayConfig config, string dataDirectory)
    {
        services.AddSingleton<IRequestObserver>(NullRequestObserver.Instance);
        return services;
    }

    public static IEndpointRouteBuilder MapLlmGateAlerting(this IEndpointRouteBuilder endpoints) => endpoints;
}

internal static class AlertFireDrill
{
    public static Task<int> RunFromCliAsync(AlertingOptions options, TextWriter output, CancellationToken cancellationToken) => Task.FromResult(1);
}
