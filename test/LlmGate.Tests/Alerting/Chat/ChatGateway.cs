using System.ClientModel;
using System.ClientModel.Primitives;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.Tests.Alerting.Chat;

/// <summary>
/// The real gateway in-process with alerting to a fake PagerDuty, Slack, Teams and Discord, every log line (HttpClient's
/// too, at Trace) collected, and an OpenAI SDK client; short windows so that an incident opens and resolves in seconds.
/// </summary>
internal sealed class ChatGateway : IAsyncDisposable
{
    public const string MasterKey = "sk-chat-master-5c1e";
    public const string RoutingKey = "C4A7R0UT1NGKEY0123456789abcdef01";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private ChatGateway(TestGateway gateway, FakeLogCollector logs)
    {
        Gateway = gateway;
        Logs = logs;
    }

    public TestGateway Gateway { get; }

    public FakeLogCollector Logs { get; }

    /// <param name="failureWindowSeconds">failure_threshold_window_seconds: a second, so that an incident resolves soon.</param>
    public static async Task<ChatGateway> StartAsync(
        FakeUpstream upstream,
        string alerting,
        string extraGeneralSettings,
        IReadOnlyDictionary<string, string> environment,
        Action<string>? logLine = null,
        int failureWindowSeconds = 1)
    {
        var yaml = $$"""
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {{MasterKey}}
              alerting: {{alerting}}
              alerting_args: {failure_threshold: 3, failure_threshold_window_seconds: {{failureWindowSeconds}}, hanging_threshold_seconds: 0.2, hanging_threshold_window_seconds: 1, hanging_threshold_fails: 1}
            {{extraGeneralSettings}}
            """;
        var logs = FakeLogCollector.Create(new FakeLogCollectorOptions { OutputSink = line => logLine?.Invoke(line) });
        var gateway = await TestGateway.StartAsync(yaml, environment, services =>
            services.AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Trace)
                .AddFilter("System.Net.Http.HttpClient", LogLevel.Trace) // as an operator debugging delivery would
                .AddProvider(new FakeLoggerProvider(logs))));
        return new ChatGateway(gateway, logs);
    }

    public ChatClient Chat() => new("gpt-4o", new ApiKeyCredential(MasterKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(Gateway.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = Patience,
    });

    public async Task<string> StatusAsync()
    {
        using var http = new HttpClient { BaseAddress = Gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", MasterKey);
        return await http.GetStringAsync(new Uri("/alerting/status", UriKind.Relative));
    }

    /// <summary>Everything logged so far, one line a record, with its state's values.</summary>
    public string AllLogText() => string.Join('\n', Logs.GetSnapshot().Select(r =>
        $"{r.Category} {r.Id} {r.Message} {r.Exception} {string.Join(' ', r.StructuredState?.Select(p => p.Value) ?? [])}"));

    public ValueTask DisposeAsync() => Gateway.DisposeAsync();
}
