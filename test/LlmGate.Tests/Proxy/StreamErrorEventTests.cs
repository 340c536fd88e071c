using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Proxy;

/// <summary>
/// A provider that ends a stream with an error event (Claude's overloaded_error mid-answer): the client gets one error
/// event, in its API's shape, and the call is the deployment's failure, counted as every other is.
/// </summary>
public sealed class StreamErrorEventTests : IAsyncLifetime
{
    private const string UpstreamKey = "sk-ant-upstream-key-0042";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10); // a bound on a hung test, never a wait
    private readonly EndedCallRecorder _recorder = new();
    private FakeAnthropic _anthropic = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _anthropic = await FakeAnthropic.StartAsync(UpstreamKey);
        _anthropic.StreamErrorType = "overloaded_error";
        _gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: claude-sonnet
                litellm_params: {model: anthropic/claude-sonnet-4-5-20250929, api_base: "{{_anthropic.ApiBase}}", api_key: {{UpstreamKey}}}
            router_settings:
              num_retries: 0
            """, configureServices: s => s.AddSingleton<ICallObserver>(_recorder));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    [Fact]
    public async Task MessagesPassThrough_TheProvidersErrorEventAsItIsAndTheCallFailed()
    {
        var text = await PostAsync("/v1/messages", """{"model":"claude-sonnet","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        var errors = Events(text).Where(e => e.StartsWith("event: error\n", StringComparison.Ordinal)).ToList();
        var error = JsonNode.Parse(Assert.Single(errors)["event: error\ndata: ".Length..])!;
        Assert.Equal("overloaded_error", (string?)error["error"]!["type"]); // as Anthropic sent it, not the gateway's api_error
        await AssertFailedAsync();
    }

    [Fact]
    public async Task ChatCompletionsTranslated_OneOpenAiErrorEventAndTheCallFailed()
    {
        var text = await PostAsync("/v1/chat/completions", """{"model":"claude-sonnet","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        var errors = Events(text).Where(e => e.Contains("\"error\":", StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        await AssertFailedAsync();
    }

    private async Task AssertFailedAsync()
    {
        var call = await _recorder.Ended.WaitAsync(Patience);
        Assert.Equal((CallOutcome.Failed, FailureKind.UpstreamError), (call.Outcome, call.Failure!.Kind));
        Assert.Equal(
            "litellm.APIError: the upstream of model group 'claude-sonnet' (provider anthropic) ended its stream with an error event: Overloaded",
            call.Failure.Message);
    }

    private async Task<string> PostAsync(string path, string body)
    {
        using var http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        return await response.Content.ReadAsStringAsync();
    }

    private static string[] Events(string text) => text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
}
