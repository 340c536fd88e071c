using LlmGate.Configuration;
using LlmGate.Ui;
using LlmGate.Ui.Components;
using LlmGate.Ui.Pages;

namespace LlmGate.Tests.Ui;

public sealed class ConfigPageTests
{
    // One of every kind of secret the config can hold; each long and unique so a leak cannot hide.
    private const string MasterKey = "sk-master-SECRET-0001";
    private const string ProviderKey = "sk-provider-SECRET-0002";
    private const string AwsSecret = "aws-secret-SECRET-0003";
    private const string AwsAccessKeyId = "AKIASECRET0004";
    private const string AwsSessionToken = "aws-session-SECRET-0005";
    private const string VertexCredentials = "{\"private_key\":\"vertex-SECRET-0006\"}";
    private const string AzureAdToken = "azure-ad-SECRET-0007";
    private const string RoutingKey = "pagerduty-SECRET-0008";
    private const string SlackUrl = "https://hooks.slack.com/services/T000/B000/slack-SECRET-0009";
    private const string SlackTypeUrl = "https://hooks.slack.com/services/T000/B001/slacktype-SECRET-0010";
    private const string DiscordUrl = "https://discord.com/api/webhooks/1/discord-SECRET-0011";
    private const string TeamsUrl = "https://example.webhook.office.com/teams-SECRET-0012";
    private const string WebhookUrl = "https://hooks.example.com/in/webhook-SECRET-0013";
    private const string WebhookSecret = "hmac-SECRET-0014";
    private const string SmtpPassword = "smtp-SECRET-0015";
    private const string RedisPassword = "redis-SECRET-0016";
    private const string DatabaseUrl = "postgresql://llm:db-SECRET-0017@db.internal:5432/llm";
    private const string UiPassword = "ui-SECRET-0018";
    private const string ApiBaseUser = "basic-SECRET-0019";
    private const string ApiBaseQuery = "query-SECRET-0020";

    private static readonly string[] Secrets =
    [
        MasterKey, ProviderKey, AwsSecret, AwsAccessKeyId, AwsSessionToken, "vertex-SECRET-0006", AzureAdToken, RoutingKey, SlackUrl,
        "slack-SECRET-0009", "slacktype-SECRET-0010", "discord-SECRET-0011", "teams-SECRET-0012", "webhook-SECRET-0013", WebhookSecret,
        SmtpPassword, RedisPassword, "db-SECRET-0017", UiPassword, ApiBaseUser, ApiBaseQuery,
    ];

    private static GatewayConfig Config() => new()
    {
        MasterKey = MasterKey,
        Deployments =
        [
            new DeploymentConfig
            {
                ModelName = "gpt-4o", Model = "openai/gpt-4o", Id = "d1", ApiKey = ProviderKey,
                ApiBase = $"https://user:{ApiBaseUser}@proxy.example.com/v1?key={ApiBaseQuery}",
            },
            new DeploymentConfig
            {
                ModelName = "claude", Model = "bedrock/anthropic.claude", Id = "d2",
                ProviderParams = new Dictionary<string, string>
                {
                    ["aws_secret_access_key"] = AwsSecret,
                    ["aws_access_key_id"] = AwsAccessKeyId,
                    ["aws_session_token"] = AwsSessionToken,
                    ["aws_region_name"] = "eu-west-1",
                },
            },
            new DeploymentConfig
            {
                ModelName = "gemini", Model = "vertex_ai/gemini", Id = "d3",
                ProviderParams = new Dictionary<string, string> { ["vertex_credentials"] = VertexCredentials, ["vertex_project"] = "proj-1" },
            },
            new DeploymentConfig
            {
                ModelName = "azure", Model = "azure/gpt-4o", Id = "d4",
                ProviderParams = new Dictionary<string, string> { ["azure_ad_token"] = AzureAdToken, ["api_version"] = "2024-10-21" },
            },
        ],
        Alerting = new AlertingOptions
        {
            PagerDuty = new PagerDutyOptions { RoutingKey = RoutingKey },
            Channels = new AlertChannelsOptions
            {
                Slack = new SlackOptions
                {
                    WebhookUrl = new Uri(SlackUrl),
                    UrlsByType = new Dictionary<string, IReadOnlyList<Uri>> { ["budget_alerts"] = [new Uri(SlackTypeUrl)] },
                },
                Discord = new DiscordOptions(new Uri(DiscordUrl)),
                Teams = new TeamsOptions(new Uri(TeamsUrl)),
                Webhook = new WebhookOptions(new Uri(WebhookUrl), WebhookSecret),
                Email = new EmailOptions { Host = "smtp.example.com", Username = "alerts", Password = SmtpPassword, Sender = "llmgate@example.com", Recipients = ["oncall@example.com"] },
            },
        },
        Redis = new RedisOptions { Host = "redis.internal", Password = RedisPassword },
        Spend = new SpendOptions { DatabaseUrl = DatabaseUrl },
        Observability = new ObservabilityOptions { Langfuse = true },
    };

    private static readonly UiOptions Ui = new() { Username = "admin", Password = UiPassword };

    [Fact]
    public async Task Render_ConfigWithEverySecret_NoneInTheHtml()
    {
        // A warning that quotes a secret, as a loader message might.
        var loaded = new ConfigLoadResult(Config(), [
            new ConfigDiagnostic(ConfigSeverity.Warning, "general_settings.master_key", 7, $"'{MasterKey}' looks like a test key"),
            new ConfigDiagnostic(ConfigSeverity.Error, "ignored", 1, "errors are not warnings"),
        ]);

        var model = ConfigEndpoint.Build(Config(), loaded, Ui);
        var raw = await PagesTestRenderer.RenderAsync<ConfigPage>(PagesTestRenderer.Context("config", "Config"), model);
        var html = System.Net.WebUtility.HtmlDecode(raw);

        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
        }

        Assert.Contains("id=\"effective-config\"", html, StringComparison.Ordinal);
        Assert.Contains("master_key: ••••", html, StringComparison.Ordinal);
        Assert.Contains("api_key: ••••", html, StringComparison.Ordinal);
        Assert.Contains("aws_secret_access_key: ••••", html, StringComparison.Ordinal);
        Assert.Contains("vertex_credentials: ••••", html, StringComparison.Ordinal);
        Assert.Contains("routing_key: ••••", html, StringComparison.Ordinal);
        Assert.Contains("webhook_secret: ••••", html, StringComparison.Ordinal);
        Assert.Contains("database_url: ••••", html, StringComparison.Ordinal);
        Assert.Contains("api_base: https://••••@proxy.example.com/v1?••••", html, StringComparison.Ordinal);

        // What is not secret is shown as it is.
        Assert.Contains("aws_region_name: eu-west-1", html, StringComparison.Ordinal);
        Assert.Contains("vertex_project: proj-1", html, StringComparison.Ordinal);
        Assert.Contains("host: redis.internal", html, StringComparison.Ordinal);
        Assert.Contains("model_name: gpt-4o", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Warnings_EachWithPathAndLine()
    {
        var loaded = new ConfigLoadResult(Config(), [
            new ConfigDiagnostic(ConfigSeverity.Warning, "litellm_settings.cache", 12, "LlmGate does not cache responses; ignored"),
            new ConfigDiagnostic(ConfigSeverity.Warning, "", 0, "the file has no model_list"),
        ]);

        var html = await PagesTestRenderer.RenderAsync<ConfigPage>(PagesTestRenderer.Context("config", "Config"), ConfigEndpoint.Build(Config(), loaded, Ui));

        var start = html.IndexOf("id=\"config-warnings\"", StringComparison.Ordinal);
        var list = html[start..html.IndexOf("</ul>", start, StringComparison.Ordinal)];
        Assert.Contains("data-path=\"litellm_settings.cache\" data-line=\"12\"", list, StringComparison.Ordinal);
        Assert.Contains("(line 12)", list, StringComparison.Ordinal);
        Assert.Contains("LlmGate does not cache responses; ignored", list, StringComparison.Ordinal);
        Assert.Contains("the file has no model_list", list, StringComparison.Ordinal);
        Assert.Equal(2, list.Split("<li", StringSplitOptions.None).Length - 1);
    }

    [Fact]
    public void Address_PlainUrl_Kept()
    {
        Assert.Equal("https://events.pagerduty.com/v2/enqueue", ConfigText.Address("https://events.pagerduty.com/v2/enqueue"));
        Assert.Equal(ConfigText.Mask, ConfigText.Address("not a url"));
    }
}
