using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Keys;

/// <summary>
/// Real gateway processes on one key store (PostgreSQL when a database URL is given, else SQLite under a data
/// directory) and, optionally, one Redis, with two priced model groups on a fake upstream, and the management API
/// called as the master key. Prices are powers of two so every sum of call costs is exact in a double.
/// </summary>
internal sealed class ReplicasGateways : IAsyncDisposable
{
    public const string MasterKey = "sk-1234";

    /// <summary>2^-10 and 2^-9 per token: the fake upstream's usage (5 prompt, 6 completion) costs 17/1024, exactly.</summary>
    public const double InputCostPerToken = 1.0 / 1024;

    public const double OutputCostPerToken = 1.0 / 512;

    public const double CallCost = (5 * InputCostPerToken) + (6 * OutputCostPerToken);

    private readonly DirectoryInfo _directory;
    private readonly string _config;
    private readonly Dictionary<string, string> _environment;
    private readonly List<GatewayProcess> _gateways = [];
    private readonly List<HttpClient> _clients = [];

    private ReplicasGateways(DirectoryInfo directory, string config, Dictionary<string, string> environment)
    {
        _directory = directory;
        _config = config;
        _environment = environment;
    }

    public int Count => _gateways.Count;

    /// <summary>The gateways' shared SQLite directory when no database URL is given.</summary>
    public string SharedDataDirectory => Path.Combine(_directory.FullName, "shared-data");

    public GatewayProcess this[int replica] => _gateways[replica];

    /// <param name="databaseUrl">A <c>postgresql://</c> URL for <c>general_settings.database_url</c>; null for SQLite in <see cref="SharedDataDirectory"/>.</param>
    /// <param name="redisUrl">A <c>redis://</c> URL for <c>router_settings.redis_url</c>, or null.</param>
    public static async Task<ReplicasGateways> StartAsync(int replicas, FakeUpstream upstream, string? databaseUrl, string? redisUrl = null)
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-keys-");
        var config = Path.Combine(directory.FullName, "config.yaml");
        var environment = new Dictionary<string, string>();
        var yaml = new StringBuilder("model_list:\n");
        foreach (var model in new[] { "gpt-4o", "gpt-4o-mini" })
        {
            yaml.Append(CultureInfo.InvariantCulture,
                $"  - {{model_name: {model}, litellm_params: {{model: openai/{model}, api_base: \"{upstream.ApiBase}\", api_key: {upstream.ApiKey}}}, ")
                .Append(CultureInfo.InvariantCulture,
                $"model_info: {{id: {model}-d0, input_cost_per_token: {InputCostPerToken.ToString("R", CultureInfo.InvariantCulture)}, output_cost_per_token: {OutputCostPerToken.ToString("R", CultureInfo.InvariantCulture)}}}}}\n");
        }

        if (redisUrl is not null)
        {
            yaml.Append("router_settings:\n  redis_url: os.environ/TEST_REDIS_URL\n");
            environment["TEST_REDIS_URL"] = redisUrl;
        }

        yaml.Append(CultureInfo.InvariantCulture, $"general_settings:\n  master_key: {MasterKey}\n");
        if (databaseUrl is not null)
        {
            yaml.Append("  database_url: os.environ/TEST_DATABASE_URL\n");
            environment["TEST_DATABASE_URL"] = databaseUrl;
        }

        await File.WriteAllTextAsync(config, yaml.ToString());
        var gateways = new ReplicasGateways(directory, config, environment);
        var starts = Enumerable.Range(0, replicas).Select(gateways.StartProcessAsync).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            // Every start has ended: stop those that came up, never leave one running.
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                gateways.Add(start.Result);
            }

            await gateways.DisposeAsync();
            throw;
        }

        foreach (var start in starts)
        {
            gateways.Add(start.Result);
        }

        return gateways;
    }

    /// <summary>Another gateway on the same config and store (after a kill, the restart); returns its index.</summary>
    public async Task<int> StartAnotherAsync()
    {
        Add(await StartProcessAsync(_gateways.Count));
        return _gateways.Count - 1;
    }

    public HttpClient Client(int replica) => _clients[replica];

    /// <summary>A client sending <paramref name="key"/> as bearer, for calls made with a virtual key.</summary>
    public HttpClient ClientWithKey(int replica, string key)
    {
        var http = new HttpClient { BaseAddress = _gateways[replica].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary><c>POST /key/generate</c> as the master key on <paramref name="replica"/>; the new key's plaintext.</summary>
    public async Task<string> GenerateKeyAsync(int replica, string body)
    {
        var (status, json) = await PostAsync(replica, "/key/generate", body);
        Assert.True(status == HttpStatusCode.OK, $"/key/generate answered {status}: {json}");
        return json.GetProperty("key").GetString()!;
    }

    public async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(int replica, string path, string body)
    {
        using var response = await _clients[replica].PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await JsonOf(response));
    }

    public async Task<(HttpStatusCode Status, JsonElement Json)> GetAsync(int replica, string path)
    {
        using var response = await _clients[replica].GetAsync(path);
        return (response.StatusCode, await JsonOf(response));
    }

    /// <summary>The key's spend as <c>GET /key/info</c> on <paramref name="replica"/> shows it.</summary>
    public async Task<double> SpendAsync(int replica, string key)
    {
        var (status, json) = await GetAsync(replica, "/key/info?key=" + Uri.EscapeDataString(key));
        Assert.True(status == HttpStatusCode.OK, $"/key/info answered {status}: {json}");
        return json.GetProperty("info").GetProperty("spend").GetDouble();
    }

    /// <summary>Polls <c>/key/info</c> until the spend is <paramref name="expected"/>; fails with the last value seen at the deadline.</summary>
    public async Task WaitForSpendAsync(int replica, string key, double expected, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        var last = double.NaN;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            last = await SpendAsync(replica, key);
            if (last == expected)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        Assert.Fail($"/key/info spend was {last.ToString("R", CultureInfo.InvariantCulture)}, not {expected.ToString("R", CultureInfo.InvariantCulture)}, after {timeout.TotalSeconds} s");
    }

    /// <summary><c>/health/readiness</c>: its HTTP status, <c>status</c> and <c>db</c>.</summary>
    public async Task<(HttpStatusCode Http, string Status, string Db)> ReadinessAsync(int replica)
    {
        using var response = await _clients[replica].GetAsync("/health/readiness");
        var json = await JsonOf(response);
        return (response.StatusCode, json.GetProperty("status").GetString()!, json.GetProperty("db").GetString()!);
    }

    /// <summary>Polls <c>/health/readiness</c> until it says healthy (store connected, Redis shared when configured).</summary>
    public async Task WaitUntilHealthyAsync(int replica, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        var last = "";
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var (http, status, db) = await ReadinessAsync(replica);
            if (http == HttpStatusCode.OK && status == "healthy" && db == "connected")
            {
                return;
            }

            last = $"{(int)http} {status} db={db}";
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        Assert.Fail($"replica {replica} was not healthy after {timeout.TotalSeconds} s: {last}");
    }

    /// <summary>One non-streamed chat call with <paramref name="http"/>'s key; the caller disposes the answer.</summary>
    public static Task<HttpResponseMessage> ChatAsync(HttpClient http, string model = "gpt-4o", CancellationToken cancellationToken = default) =>
        http.PostAsync("/v1/chat/completions",
            new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}],"max_tokens":10}""", Encoding.UTF8, "application/json"),
            cancellationToken);

    /// <summary>The answer is exactly OpenAI's error shape with these four fields and nothing else.</summary>
    public static void AssertError(JsonElement json, int status, string message, string type, string? param)
    {
        var error = Assert.Single(json.EnumerateObject());
        Assert.Equal("error", error.Name);
        Assert.Equal(["message", "type", "param", "code"], error.Value.EnumerateObject().Select(p => p.Name));
        Assert.Equal(message, error.Value.GetProperty("message").GetString());
        Assert.Equal(type, error.Value.GetProperty("type").GetString());
        Assert.Equal(param, error.Value.GetProperty("param").GetString());
        Assert.Equal(status.ToString(CultureInfo.InvariantCulture), error.Value.GetProperty("code").GetString());
    }

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        _directory.Delete(recursive: true);
    }

    // Each process has a data directory of its own (its alert outbox), except that on SQLite they share the key store's.
    private Task<GatewayProcess> StartProcessAsync(int index) =>
        GatewayProcess.StartAsync(_config,
            _environment.ContainsKey("TEST_DATABASE_URL") ? Path.Combine(_directory.FullName, $"data{index}") : SharedDataDirectory,
            _environment);

    private void Add(GatewayProcess gateway)
    {
        _gateways.Add(gateway);
        var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        _clients.Add(http);
    }
}
