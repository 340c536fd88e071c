using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Reload;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.Tests.Reload;

/// <summary>
/// Issue 19's reload: a valid file is applied for the requests that follow (in-flight ones finish on theirs), an
/// invalid one is refused whole with every error while the old config serves on, and restart-only settings say so.
/// </summary>
public sealed class ConfigReloadTests
{
    [Fact]
    public async Task Reload_ValidFile_NewModelServedOldOneGone()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, "gpt-old"));

        await config.WriteAsync(Config(upstream, "gpt-new"));
        var (status, body) = await config.ReloadAsync();

        Assert.Equal(200, status);
        Assert.Equal("applied", (string?)body["outcome"]);
        Assert.Equal("api", (string?)body["trigger"]);
        Assert.Contains("model_list: 1 added, 1 removed, 0 changed", body["changes"]!.AsArray().Select(c => (string?)c));
        var models = JsonNode.Parse(await config.Admin.GetStringAsync(new Uri("/v1/models", UriKind.Relative)))!["data"]!.AsArray();
        Assert.Equal(["gpt-new"], models.Select(m => (string?)m!["id"]));

        var answer = await Chat(config, "gpt-new").CompleteChatAsync([new UserChatMessage("hi")]);
        Assert.NotEmpty(answer.Value.Content[0].Text);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => Chat(config, "gpt-old").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(400, gone.Status);
    }

    [Fact]
    public async Task Reload_InvalidFile_RefusedWithEveryErrorAndOldConfigServesOn()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, "gpt-old"));

        // Two errors in one file: both are reported, with their lines.
        await config.WriteAsync(Config(upstream, "gpt-new").Replace("num_retries: 0", "num_retries: -3\n  timeout: soon", StringComparison.Ordinal));
        var (status, body) = await config.ReloadAsync();

        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", (string?)body["error"]!["type"]);
        Assert.Contains("keeps serving the config in use", (string?)body["error"]!["message"], StringComparison.Ordinal);
        var errors = body["reload"]!["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("num_retries", StringComparison.Ordinal) && e.Contains("line", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("timeout", StringComparison.Ordinal));

        var answer = await Chat(config, "gpt-old").CompleteChatAsync([new UserChatMessage("hi")]);
        Assert.NotEmpty(answer.Value.Content[0].Text);
        var status2 = await config.StatusAsync();
        Assert.Equal("refused", (string?)status2["last_reload"]!["outcome"]);
        Assert.Equal(2, status2["last_reload"]!["errors"]!.AsArray().Count);
        Assert.Equal(config.Path, (string?)status2["path"]);
    }

    [Fact]
    public async Task Reload_YamlThatDoesNotParse_Refused()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, "gpt-old"));

        await config.WriteAsync("model_list:\n  - model_name: [unclosed\n");
        var (status, body) = await config.ReloadAsync();

        Assert.Equal(400, status);
        Assert.NotEmpty(body["reload"]!["errors"]!.AsArray());
        Assert.NotEmpty((await Chat(config, "gpt-old").CompleteChatAsync([new UserChatMessage("hi")])).Value.Content[0].Text);
    }

    [Fact]
    public async Task Reload_StreamInFlight_FinishesOnItsSnapshotWhileNewCallsGoToTheNewDeployment()
    {
        await using var before = await FakeUpstream.StartAsync();
        await using var after = await FakeUpstream.StartAsync();
        before.StreamChunks = 5;
        before.HoldStreamAfterFirstChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var config = await ReloadableConfig.StartAsync(Config(before, "gpt"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await config.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal); // the first chunk: the stream is under way

        await config.WriteAsync(Config(after, "gpt"));
        Assert.Equal("applied", (string?)(await config.ReloadAsync()).Body["outcome"]);
        var next = await Chat(config, "gpt").CompleteChatAsync([new UserChatMessage("hi")]);
        before.HoldStreamAfterFirstChunk.SetResult();
        var rest = await reader.ReadToEndAsync();

        Assert.NotEmpty(next.Value.Content[0].Text);
        Assert.Single(after.Received);
        Assert.Single(before.Received);
        Assert.EndsWith("data: [DONE]", rest.TrimEnd(), StringComparison.Ordinal);
        var chunks = 1 + rest.Split('\n').Count(l => l.StartsWith("data: {", StringComparison.Ordinal));
        Assert.Equal(before.StreamChunks + 1, chunks); // every chunk of the old deployment's stream, and its closing one
    }

    [Fact]
    public async Task Reload_MasterKeyRotated_OldKeyRefusedAndNewKeyAccepted()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, "gpt"));
        const string rotated = "sk-reload-rotated-99c2";

        await config.WriteAsync(Config(upstream, "gpt").Replace(ReloadableConfig.MasterKey, rotated, StringComparison.Ordinal));
        var (status, body) = await config.ReloadAsync();

        Assert.Equal(200, status);
        Assert.Contains("general_settings.master_key", body["changes"]!.AsArray().Select(c => (string?)c));
        Assert.DoesNotContain(rotated, body.ToJsonString(), StringComparison.Ordinal);
        using var old = config.Client(ReloadableConfig.MasterKey);
        using var refused = await old.GetAsync(new Uri("/v1/models", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var current = config.Client(rotated);
        using var accepted = await current.GetAsync(new Uri("/v1/models", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Reload_RestartOnlySettingChanged_AppliedRestReportedAndRunningValueKept()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, "gpt"));

        var next = Config(upstream, "gpt-new").Replace("general_settings:", "general_settings:\n  max_request_size_mb: 1", StringComparison.Ordinal);
        await config.WriteAsync(next);
        var (status, body) = await config.ReloadAsync();

        Assert.Equal(200, status);
        Assert.Equal(["general_settings.max_request_size_mb"], body["restart_required"]!.AsArray().Select(c => (string?)c));
        Assert.NotEmpty((await Chat(config, "gpt-new").CompleteChatAsync([new UserChatMessage("hi")])).Value.Content[0].Text);
        // 2 MB still passes: the running limit (32 MB) is kept until a restart.
        var big = new string('a', 2 * 1024 * 1024);
        using var content = new StringContent($$"""{"model":"gpt-new","messages":[{"role":"user","content":"{{big}}"}]}""", Encoding.UTF8, "application/json");
        using var response = await config.Admin.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Reload_SameBytes_Unchanged()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, "gpt"));

        var (status, body) = await config.ReloadAsync();

        Assert.Equal(200, status);
        Assert.Equal("unchanged", (string?)body["outcome"]);
    }

    [Fact]
    public async Task Reload_VirtualKeyOrNoKey_Refused()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, "gpt"));
        using var anonymous = new HttpClient { BaseAddress = config.Gateway.BaseAddress };

        using var response = await anonymous.PostAsync(new Uri("/config/reload", UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(config.Gateway.Services.GetRequiredService<ConfigReloader>().Last);
    }

    [Fact]
    public async Task FileWatch_ChangeReloadedOnceSettled_RefusedContentNotRetriedUntilItChanges()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, "gpt-old"), watch: true);
        var watcher = config.Gateway.Services.GetRequiredService<ConfigFileWatcher>();
        var reloader = config.Gateway.Services.GetRequiredService<ConfigReloader>();
        watcher.Check(); // the file as started: nothing to do

        await config.WriteAsync(Config(upstream, "gpt-new"));
        watcher.Check(); // first seen: not settled yet
        Assert.Null(reloader.Last);
        watcher.Check(); // the same bytes a second time: reload
        Assert.Equal(ReloadOutcome.Applied, reloader.Last!.Outcome);
        Assert.Equal("file_watch", reloader.Last.Trigger);

        await config.WriteAsync("model_list: 7\n");
        watcher.Check();
        watcher.Check();
        var refused = reloader.Last;
        Assert.Equal(ReloadOutcome.Refused, refused.Outcome);
        watcher.Check();
        Assert.Same(refused, reloader.Last); // not tried again while the bytes stay the same

        Assert.NotEmpty((await Chat(config, "gpt-new").CompleteChatAsync([new UserChatMessage("hi")])).Value.Content[0].Text);
    }

    private static ChatClient Chat(ReloadableConfig config, string model) => new(model, new ApiKeyCredential(ReloadableConfig.MasterKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(config.Gateway.BaseAddress, "v1"),
        RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
    });

    private static string Config(FakeUpstream upstream, string modelName) => $$"""
        model_list:
          - model_name: {{modelName}}
            litellm_params: {model: openai/gpt-4o, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
        router_settings:
          num_retries: 0
        general_settings:
          master_key: {{ReloadableConfig.MasterKey}}
        """;
}
