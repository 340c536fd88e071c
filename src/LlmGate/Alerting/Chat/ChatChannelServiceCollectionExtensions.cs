using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.Chat;

/// <summary>Wires the Slack (one lane per webhook), Discord and Microsoft Teams channels the config lists.</summary>
internal static class ChatChannelServiceCollectionExtensions
{
    public const string SlackClient = "LlmGate.Alerting.Slack";
    public const string DiscordClient = "LlmGate.Alerting.Discord";
    public const string TeamsClient = "LlmGate.Alerting.Teams";

    public static IServiceCollection AddChatChannels(this IServiceCollection services, AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var channels = options.Channels;
        if (channels.Slack is { } slack)
        {
            WebhookClient.AddHttpClient(services, SlackClient);
            if (slack.WebhookUrl is { } defaultUrl)
            {
                var types = new HashSet<string>(StringComparer.Ordinal);
                services.AddAlertChannel(sp => new SlackChannel(defaultUrl, isDefault: true, types, WebhookClient.Create(sp, SlackClient), sp.GetRequiredService<AlertMessageBuilder>()));
            }

            // One lane per distinct URL, carrying every type mapped to it.
            var lanes = slack.UrlsByType
                .SelectMany(entry => entry.Value.Select(url => (Url: url, Type: entry.Key)))
                .GroupBy(pair => pair.Url.OriginalString, StringComparer.Ordinal);
            foreach (var lane in lanes)
            {
                var url = lane.First().Url;
                var types = new HashSet<string>(lane.Select(pair => pair.Type), StringComparer.Ordinal);
                services.AddAlertChannel(sp => new SlackChannel(url, isDefault: false, types, WebhookClient.Create(sp, SlackClient), sp.GetRequiredService<AlertMessageBuilder>()));
            }
        }

        if (channels.Discord is { } discord)
        {
            WebhookClient.AddHttpClient(services, DiscordClient);
            services.AddSingleton(sp => new DiscordChannel(discord, WebhookClient.Create(sp, DiscordClient), sp.GetRequiredService<AlertMessageBuilder>()));
            services.AddAlertChannel<DiscordChannel>();
        }

        if (channels.Teams is { } teams)
        {
            WebhookClient.AddHttpClient(services, TeamsClient);
            services.AddSingleton(sp => new TeamsChannel(teams, WebhookClient.Create(sp, TeamsClient), sp.GetRequiredService<AlertMessageBuilder>()));
            services.AddAlertChannel<TeamsChannel>();
        }

        return services;
    }
}
