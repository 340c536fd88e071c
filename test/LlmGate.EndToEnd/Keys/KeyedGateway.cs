using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.EndToEnd.Keys;

/// <summary>
/// One gateway with a master key and its own SQLite key store (a fresh data dir), a fake OpenAI behind it, and the
/// management API and a keyed client over real HTTP. Prices are explicit, so every cost is known exactly:
/// <c>gpt-4o-mini</c> at 0.001 in / 0.002 out, <c>text-embedding-3-small</c> at 0.001 in, and two models with free
/// input, <c>metered</c> at 0.01 out and <c>other</c> at 0.001 out, so a call to them reserves exactly
/// <c>max_tokens</c> × the output price and costs the answer's completion tokens × it.
/// </summary>
internal sealed class KeyedGateway : IAsyncDisposable
{
    public const string MasterKey = "sk-master-e2e-keys";
    public const double InputPrice = 0.001;
    public const double OutputPrice = 0.002;
    public const double MeteredInputPrice = 0;
    public const double MeteredOutputPrice = 0.01;
    public const double OtherOutputPrice = 0.001;
    public const string PagerDutyRoutingKey = "d8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private KeyedGateway(FakeUpstream upstream, TestGateway gateway, FakeTimeProvider? time)
    {
        Upstream = upstream;
        Gateway = gateway;
        Time = time;
        Admin = Client(MasterKey);
    }

    public FakeUpstream Upstream { get; }

    public TestGateway Gateway { get; }

    /// <summary>The gateway's clock when the test drives it; null when it runs on real time.</summary>
    public FakeTimeProvider? Time { get; }

    /// <summary>Raw HTTP with the master key.</summary>
    public HttpClient Admin { get; }

    /// <param name="time">A clock to drive; the gateway's spend writer then runs only as far as the test advances it.</param>
    /// <param name="pagerDuty">Alerting to this PagerDuty, with <paramref name="alertingArgs"/> under <c>alerting_args</c>.</param>
    public static async Task<KeyedGateway> StartAsync(FakeTimeProvider? time = null, FakePagerDuty? pagerDuty = null, string alertingArgs = "failure_threshold: 100", bool prometheus = false)
    {
        var upstream = await FakeUpstream.StartAsync();
        var alerting = pagerDuty is null ? "" : $"""

              alerting: ["pagerduty"]
              alerting_args: {"{" + alertingArgs + "}"}
            """;
        var yaml = $"""
            model_list:
              - {Deployment("gpt-4o-mini", upstream, InputPrice, OutputPrice)}
              - {Deployment("other", upstream, 0, OtherOutputPrice)}
              - {Deployment("text-embedding-3-small", upstream, InputPrice, 0)}
              - {Deployment("metered", upstream, MeteredInputPrice, MeteredOutputPrice)}
            general_settings:
              master_key: {MasterKey}
              proxy_batch_write_at: 0.2{alerting}
            """;
        if (prometheus)
        {
            yaml += "\nlitellm_settings:\n  callbacks: [\"prometheus\"]\n";
        }

        var environment = pagerDuty is null ? null : new Dictionary<string, string>
        {
            ["PAGERDUTY_API_KEY"] = PagerDutyRoutingKey,
            ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
        };
        try
        {
            var gateway = await TestGateway.StartAsync(yaml, environment, time is null ? null : services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
            return new KeyedGateway(upstream, gateway, time);
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Raw HTTP to the gateway with <paramref name="key"/> as the bearer.</summary>
    public HttpClient Client(string key)
    {
        var http = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary><c>POST /key/generate</c> with the master key; returns the new <c>sk-</c> value.</summary>
    public async Task<string> GenerateKeyAsync(string fields = "{}")
    {
        var created = await PostAdminAsync("/key/generate", fields);
        var key = created["key"]!.GetValue<string>();
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);
        return key;
    }

    /// <summary>A management call with the master key that must succeed; its JSON answer.</summary>
    public async Task<JsonNode> PostAdminAsync(string path, string json)
    {
        using var response = await Admin.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary><c>GET /key/info?key=</c> with the master key: the key's <c>info</c> object as the store has it.</summary>
    public async Task<JsonNode> KeyInfoAsync(string key)
    {
        var info = JsonNode.Parse(await Admin.GetStringAsync($"/key/info?key={Uri.EscapeDataString(key)}"))!;
        return info["info"]!;
    }

    /// <summary>
    /// Polls <c>/key/info</c> until <paramref name="condition"/> holds, within <see cref="Deadline"/>. On a driven clock
    /// each round moves it past <c>proxy_batch_write_at</c>, so the spend writer gets its turn.
    /// </summary>
    public Task<JsonNode> WaitForKeyInfoAsync(string key, Func<JsonNode, bool> condition, string what) =>
        WaitForAsync(() => KeyInfoAsync(key), condition, what);

    /// <summary>Polls <c>/spend/logs?api_key=</c> until <paramref name="condition"/> holds; returns the raw JSON text.</summary>
    public async Task<string> WaitForSpendLogsAsync(string key, Func<JsonArray, bool> condition, string what)
    {
        var text = "";
        await WaitForAsync(
            async () =>
            {
                text = await Admin.GetStringAsync($"/spend/logs?api_key={Uri.EscapeDataString(key)}");
                return JsonNode.Parse(text)!.AsArray();
            },
            condition,
            what);
        return text;
    }

    public static double Spend(JsonNode info) => info["spend"]!.GetValue<double>();

    /// <summary>A chat request as raw JSON: <c>max_tokens</c> bounds what the gateway reserves.</summary>
    public static string ChatBody(string model, long? maxTokens = 1, bool stream = false, string prompt = "Hi") =>
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]"
        + (maxTokens is { } tokens ? ",\"max_tokens\":" + tokens.ToString(CultureInfo.InvariantCulture) : "")
        + (stream ? ",\"stream\":true" : "") + "}";

    public static Task<HttpResponseMessage> ChatAsync(HttpClient http, string model, long? maxTokens = 1, bool stream = false) =>
        PostChatAsync(http, ChatBody(model, maxTokens, stream));

    public static Task<HttpResponseMessage> PostChatAsync(HttpClient http, string body, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") }, completion);

    /// <summary>
    /// Asserts an OpenAI-shaped error: the status, <c>error.type</c>, the start of <c>error.message</c>, and LiteLLM's
    /// <c>error.code</c> (the status as text). Returns the message.
    /// </summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, int status, string type, string messageStart)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(type, error["type"]!.GetValue<string>());
        Assert.Equal(status.ToString(CultureInfo.InvariantCulture), error["code"]!.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        Assert.StartsWith(messageStart, message, StringComparison.Ordinal);
        return message;
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"no {name} header");

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    private async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (elapsed.Elapsed > Deadline)
            {
                throw new TimeoutException($"not within {Deadline}: {what}; last seen: {value}");
            }

            // The spend writer runs on the gateway's clock: a driven one must be moved for it to write.
            Time?.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    // One model_list entry on one line, so it can be interpolated at any indentation.
    private static string Deployment(string name, FakeUpstream upstream, double input, double output) =>
        "{model_name: " + name + ", litellm_params: {model: \"openai/" + name + "\", api_base: \"" + upstream.ApiBase + "\", api_key: " + upstream.ApiKey
        + "}, model_info: {input_cost_per_token: " + input.ToString(CultureInfo.InvariantCulture) + ", output_cost_per_token: " + output.ToString(CultureInfo.InvariantCulture) + "}}";
}
