using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Text.Json;
using LlmGate.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.Browser;

/// <summary>
/// The real gateway in-process on 127.0.0.1 for the console: a master key (so virtual keys are on, SQLite in the data
/// directory), a UI username and password, alerting to a fake PagerDuty that opens an incident after 3 failures in
/// 10 s, and one deployment (<see cref="DeploymentId"/>) on a fake upstream that a test can make fail.
/// </summary>
internal sealed class ConsoleGateway : IAsyncDisposable
{
    public const string MasterKey = "sk-console-master-7f3a9c";
    public const string UiUsername = "oncall";
    public const string UiPassword = "console-password-4d2b";
    public const string UpstreamKey = "sk-upstream-secret-b81e";
    public const string RoutingKey = "C0N5OLER0UT1NGKEY0123456789abcd0";
    public const string DeploymentId = "d1";
    public const string ModelGroup = "gpt-4o";
    public const int FailureThreshold = 3;

    private ConsoleGateway(TestGateway gateway, FakeUpstream upstream, FakePagerDuty pagerDuty)
    {
        Gateway = gateway;
        Upstream = upstream;
        PagerDuty = pagerDuty;
    }

    public TestGateway Gateway { get; }

    public FakeUpstream Upstream { get; }

    public FakePagerDuty PagerDuty { get; }

    public Uri BaseAddress => Gateway.BaseAddress;

    /// <summary>What must never appear in a page, a cookie or an answer of the console.</summary>
    public static IReadOnlyList<string> Secrets { get; } = [MasterKey, UiPassword, UpstreamKey, RoutingKey];

    public static async Task<ConsoleGateway> StartAsync()
    {
        var upstream = await FakeUpstream.StartAsync(UpstreamKey);
        var pagerDuty = await FakePagerDuty.StartAsync();
        var yaml = $$"""
            model_list:
              - model_name: {{ModelGroup}}
                litellm_params: {model: openai/gpt-4o, api_base: "{{upstream.ApiBase}}", api_key: os.environ/UPSTREAM_KEY}
                model_info: {id: {{DeploymentId}}}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: os.environ/LITELLM_MASTER_KEY
              alerting: ["pagerduty"]
              alerting_args: {failure_threshold: {{FailureThreshold}}, failure_threshold_window_seconds: 10, hanging_threshold_seconds: 300, hanging_threshold_window_seconds: 600}
            """;
        var environment = new Dictionary<string, string>
        {
            ["LITELLM_MASTER_KEY"] = MasterKey,
            ["UPSTREAM_KEY"] = UpstreamKey,
            ["PAGERDUTY_API_KEY"] = RoutingKey,
            ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
            ["UI_USERNAME"] = UiUsername,
            ["UI_PASSWORD"] = UiPassword,
        };
        var gateway = await TestGateway.StartAsync(yaml, environment);
        return new ConsoleGateway(gateway, upstream, pagerDuty);
    }

    public ChatClient Chat() => new(ModelGroup, new ApiKeyCredential(MasterKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(10),
    });

    /// <summary>A few successful calls, so the Overview has traffic to show.</summary>
    public async Task SucceedAsync(int calls)
    {
        var chat = Chat();
        for (var i = 0; i < calls; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("hello")]);
        }
    }

    /// <summary>Makes the upstream answer 500 and sends enough calls to open the failure incident (and cool the deployment down).</summary>
    public async Task FailAsync(int calls = FailureThreshold + 1)
    {
        Upstream.FailWithStatus = 500;
        var chat = Chat();
        for (var i = 0; i < calls; i++)
        {
            await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hello")]));
        }
    }

    /// <summary>The silences as the gateway's own API lists them (Alertmanager's shape), by id.</summary>
    public async Task<JsonElement> SilenceAsync(string id)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", MasterKey);
        return await http.GetFromJsonAsync<JsonElement>(new Uri("alerting/silences/" + Uri.EscapeDataString(id), UriKind.Relative));
    }

    /// <summary>The keys as <c>/key/list</c> answers them (aliases only; the list never holds a key).</summary>
    public async Task<string> KeyListAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", MasterKey);
        return await http.GetStringAsync(new Uri("key/list?return_full_object=true", UriKind.Relative));
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await PagerDuty.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
