using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.Email;

/// <summary>Wires the email channel, with its own sender, when the config lists it.</summary>
internal static class EmailChannelServiceCollectionExtensions
{
    public static IServiceCollection AddEmailChannel(this IServiceCollection services, AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Channels.Email is not { } email)
        {
            return services;
        }

        services.AddSingleton(sp => new EmailChannel(email, sp.GetRequiredService<AlertMessageBuilder>(), sp.GetRequiredService<TimeProvider>()));
        services.AddAlertChannel<EmailChannel>();
        return services;
    }
}
