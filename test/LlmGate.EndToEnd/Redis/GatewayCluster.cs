using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Redis;

/// <summary>Several real gateway processes on one config and one Redis, each with its own data directory, and a fake PagerDuty.</summary>
internal sealed class GatewayCluster : IAsyncDisposable
{
    public const string RoutingKey = "0123456789abcdef0123456789abcdef";

    /// <summary>Cluster tests run one after another: each starts several gateway processes, and the machine has few cores.</summary>
    public const string Collection = "gateway clusters";

    /// <summary>Router settings for alerting tests: every client request is one upstream attempt, whatever failed before.</summary>
    public const string OneAttemptNoCooldowns = "  num_retries: 0\n  disable_cooldowns: true";

    private readonly DirectoryInfo _directory;
    private readonly List<HttpClient> _clients = [];

    private GatewayCluster(DirectoryInfo directory, IReadOnlyList<GatewayProcess> gateways)
    {
        _directory = directory;
        Gateways = gateways;
        foreach (var gateway in gateways)
        {
            var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-1234");
            _clients.Add(http);
        }
    }

    public IReadOnlyList<GatewayProcess> Gateways { get; }

    /// <param name="deployments">Deployments in the <c>gpt-4o</c> group (ids <c>d0</c>, <c>d1</c>...), all on <paramref name="upstream"/>.</param>
    public static async Task<GatewayCluster> StartAsync(
        int replicas, string redisUrl, FakeUpstream upstream, FakePagerDuty pagerDuty, string alertingArgs, string routerSettings = "", int deployments = 1)
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-cluster-");
        var config = Path.Combine(directory.FullName, "config.yaml");
        var modelList = string.Concat(Enumerable.Range(0, deployments).Select(i =>
            $"\n  - {{model_name: gpt-4o, litellm_params: {{model: openai/gpt-4o, api_base: \"{upstream.ApiBase}\", api_key: {upstream.ApiKey}}}, model_info: {{id: d{i}}}}}"));
        await File.WriteAllTextAsync(config, $$"""
            model_list:{{modelList}}
            router_settings:
              redis_url: os.environ/TEST_REDIS_URL
            {{routerSettings}}
            general_settings:
              master_key: sk-1234
              alerting: ["pagerduty"]
              alerting_args: {{alertingArgs}}
            """);
        var environment = new Dictionary<string, string>
        {
            ["PAGERDUTY_API_KEY"] = RoutingKey,
            ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
            ["TEST_REDIS_URL"] = redisUrl,
        };
        var starts = Enumerable.Range(0, replicas)
            .Select(i => GatewayProcess.StartAsync(config, Path.Combine(directory.FullName, $"data{i}"), environment))
            .ToList();
        try
        {
            return new GatewayCluster(directory, await Task.WhenAll(starts));
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            directory.Delete(recursive: true);
            throw;
        }
    }

    public async Task<int> ChatAsync(int replica)
    {
        using var response = await _clients[replica].PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        return (int)response.StatusCode;
    }

    public async Task<JsonElement> StatusAsync(int replica)
    {
        using var response = await _clients[replica].GetAsync("/alerting/status");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public async Task<(int Status, string Readiness)> ReadinessAsync(int replica)
    {
        using var response = await _clients[replica].GetAsync("/health/readiness");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return ((int)response.StatusCode, document.RootElement.GetProperty("status").GetString()!);
    }

    public static int FailureCount(JsonElement status) =>
        status.GetProperty("windows").EnumerateArray().First(w => w.GetProperty("class").GetString() == "llm_api_failure").GetProperty("count").GetInt32();

    public static int OpenIncidents(JsonElement status) => status.GetProperty("open_incidents").GetArrayLength();

    public static bool Shared(JsonElement status) => status.GetProperty("state").GetProperty("shared").GetBoolean();

    public static int Replicas(JsonElement status) =>
        status.GetProperty("state").TryGetProperty("replicas", out var replicas) ? replicas.GetInt32() : 0;

    /// <summary>Polls every replica's status until <paramref name="condition"/> holds for all of them.</summary>
    public async Task WaitForAllAsync(Func<JsonElement, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var last = "";
        while (true)
        {
            var statuses = await Task.WhenAll(Enumerable.Range(0, Gateways.Count).Select(StatusAsync));
            if (statuses.All(condition))
            {
                return;
            }

            last = string.Join("\n", statuses.Select(s => s.ToString()));
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"not every replica reached: {what}; last statuses:\n{last}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var gateway in Gateways)
        {
            await gateway.DisposeAsync();
        }

        _directory.Delete(recursive: true);
    }
}
