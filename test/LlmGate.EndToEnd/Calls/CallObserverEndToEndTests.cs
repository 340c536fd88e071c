using LlmGate.Calls;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Calls;

/// <summary>What an observer registered beside alerting (metrics, spend next) sees of real calls through the gateway.</summary>
public sealed class CallObserverEndToEndTests : IAsyncLifetime
{
    private const string AnthropicKey = "sk-ant-observer-0123456789";
    private readonly RecordingCallObserver _observer = new();
    private FakeAnthropic _anthropic = null!;
    private FakeUpstream _broken = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _anthropic = await FakeAnthropic.StartAsync(AnthropicKey);
        _broken = await FakeUpstream.StartAsync();
        _broken.FailWithStatus = 503;
        _gateway = await TestGateway.StartAsync($"""
            model_list:
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-3-5-sonnet-latest
                  api_base: {_anthropic.ApiBase}
                  api_key: {AnthropicKey}
                model_info:
                  id: claude-1
              - model_name: gpt-4o
                litellm_params:
                  model: openai/gpt-4o
                  api_base: {_broken.ApiBase}
                  api_key: sk-upstream
                model_info:
                  id: broken-1
            router_settings:
              num_retries: 1
              retry_after: 0
            general_settings:
              master_key: sk-1234
            """, configureServices: services => services.AddSingleton<ICallObserver>(_observer));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _broken.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    [Fact]
    public async Task TranslatedCall_ObserverSeesIdentityOneAttemptFirstByteUsageAndCompletion()
    {
        var completion = await GatewayClients.Chat(_gateway.BaseAddress, "claude").CompleteChatAsync([new UserChatMessage("hi")]);
        await _observer.FirstEnded.WaitAsync(TimeSpan.FromSeconds(10));

        var call = Assert.Single(_observer.Ended);
        Assert.Equal((CallOutcome.Completed, CallerKind.MasterKey, "claude"), (call.Outcome, call.Caller.Kind, call.ModelGroup));
        var attempt = Assert.Single(call.Attempts);
        Assert.Equal(("claude-1", "anthropic", 200, (FailureKind?)null), (attempt.DeploymentId, attempt.Provider, attempt.Status, attempt.Error));
        Assert.True(attempt.FirstByteTimestamp >= attempt.StartTimestamp && attempt.EndTimestamp >= attempt.FirstByteTimestamp);
        Assert.Equal(completion.Value.Usage.InputTokenCount, call.Usage!.PromptTokens);
        Assert.Equal(completion.Value.Usage.OutputTokenCount, call.Usage.CompletionTokens);
        Assert.Equal(
            [$"{call.Sequence}:call-started", $"{call.Sequence}:attempt-started:claude-1", $"{call.Sequence}:progress",
             $"{call.Sequence}:attempt-ended:claude-1:200", $"{call.Sequence}:call-ended:Completed"],
            _observer.Events);
    }

    [Fact]
    public async Task TranslatedStream_EveryChunkIsProgressAndUsageIsKnownAtTheEnd()
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in GatewayClients.Chat(_gateway.BaseAddress, "claude").CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            text.AppendJoin("", update.ContentUpdate.Select(p => p.Text));
        }

        await _observer.FirstEnded.WaitAsync(TimeSpan.FromSeconds(10));

        var call = Assert.Single(_observer.Ended);
        Assert.True(call.Stream);
        Assert.NotEmpty(text.ToString());
        Assert.True(_observer.Events.Count(e => e.EndsWith(":progress", StringComparison.Ordinal)) >= 2, "headers and at least one chunk");
        Assert.Equal((12, 9), (call.Usage!.PromptTokens, call.Usage.CompletionTokens)); // FakeAnthropic's message_start and message_delta
        Assert.Equal(CallOutcome.Completed, call.Outcome);
    }

    [Fact]
    public async Task FailedCallAfterARetry_TwoAttemptsEachWithItsStatusThenOneFailedEnd()
    {
        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            GatewayClients.Chat(_gateway.BaseAddress, "gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));
        await _observer.FirstEnded.WaitAsync(TimeSpan.FromSeconds(10));

        var call = Assert.Single(_observer.Ended);
        Assert.Equal(503, error.Status);
        Assert.Equal((CallOutcome.Failed, 503, FailureKind.UpstreamError), (call.Outcome, call.Failure!.Status, call.Failure.Kind));
        Assert.Equal([(0, 503), (1, 503)], call.Attempts.Select(a => (a.Number, a.Status)));
        Assert.All(call.Attempts, a => Assert.Equal(FailureKind.UpstreamError, a.Error));
        Assert.Null(call.Usage);
    }

    [Fact]
    public async Task UnknownModel_CallEndsFailedWithoutARouteOrAttempt()
    {
        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            GatewayClients.Chat(_gateway.BaseAddress, "no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));
        await _observer.FirstEnded.WaitAsync(TimeSpan.FromSeconds(10));

        var call = Assert.Single(_observer.Ended);
        Assert.Equal(400, error.Status);
        Assert.Equal((CallOutcome.Failed, FailureKind.InvalidRequest, (string?)null), (call.Outcome, call.Failure!.Kind, call.ModelGroup));
        Assert.Empty(call.Attempts);
    }
}
