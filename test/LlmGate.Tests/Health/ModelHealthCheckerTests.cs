using System.Text.Json;
using LlmGate.Testing;

namespace LlmGate.Tests.Health;

public sealed class ModelHealthCheckerTests : HealthTestsBase
{
    [Fact]
    public async Task CheckAsync_ChatDeployment_SendsLiteLlmsTinyChatRequest()
    {
        var upstream = await UpstreamAsync();
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("gpt-4o", upstream, "d1")}
            """);

        var outcome = Assert.Single(await harness.Checker.CheckAsync(harness.Targets, CancellationToken.None));

        Assert.True(outcome.Result.Healthy);
        var request = Assert.Single(upstream.Received);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + upstream.ApiKey, request.Authorization);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("gpt-4o-upstream", body.GetProperty("model").GetString());
        Assert.Equal("test from litellm", body.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(5, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("stream", out _));
    }

    [Fact]
    public async Task CheckAsync_EmbeddingAndCompletionModes_CallTheirEndpoints()
    {
        var upstream = await UpstreamAsync();
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("embed", upstream, "e1", ", mode: embedding")}
            {HealthHarness.Deployment("instruct", upstream, "c1", ", mode: completion, health_check_max_tokens: 1")}
            """);

        var outcomes = await harness.Checker.CheckAsync(harness.Targets, CancellationToken.None);

        Assert.All(outcomes, o => Assert.True(o.Result.Healthy, o.Result.Error));
        var embedding = Assert.Single(upstream.Received, r => r.Path == "/v1/embeddings");
        Assert.Equal("test from litellm", JsonDocument.Parse(embedding.Body).RootElement.GetProperty("input")[0].GetString());
        Assert.False(JsonDocument.Parse(embedding.Body).RootElement.TryGetProperty("max_tokens", out _));
        var completion = JsonDocument.Parse(Assert.Single(upstream.Received, r => r.Path == "/v1/completions").Body).RootElement;
        Assert.Equal(("test from litellm", 1), (completion.GetProperty("prompt").GetString(), completion.GetProperty("max_tokens").GetInt32()));
    }

    [Fact]
    public async Task CheckAsync_MediaModes_CallTheirEndpointsWithLiteLlmsProbe()
    {
        var upstream = await UpstreamAsync();
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("dall-e", upstream, "i1", ", mode: image_generation")}
            {HealthHarness.Deployment("tts", upstream, "s1", ", mode: audio_speech")}
            {HealthHarness.Deployment("moderation", upstream, "m1", ", mode: moderation")}
            {HealthHarness.Deployment("reranker", upstream, "r1", ", mode: rerank")}
            {HealthHarness.Deployment("whisper", upstream, "t1", ", mode: audio_transcription")}
            """);

        var outcomes = await harness.Checker.CheckAsync(harness.Targets, CancellationToken.None);

        Assert.Equal(5, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Result.Healthy, o.Result.Error));
        JsonElement Sent(string path) => JsonDocument.Parse(Assert.Single(upstream.Received, r => r.Path == path).Body).RootElement;
        Assert.Equal(("dall-e-upstream", "test from litellm"), (Sent("/v1/images/generations").GetProperty("model").GetString(), Sent("/v1/images/generations").GetProperty("prompt").GetString()));
        Assert.Equal(("test from litellm", "alloy"), (Sent("/v1/audio/speech").GetProperty("input").GetString(), Sent("/v1/audio/speech").GetProperty("voice").GetString()));
        Assert.Equal("test from litellm", Sent("/v1/moderations").GetProperty("input").GetString());
        Assert.Equal(("test from litellm", 1), (Sent("/v1/rerank").GetProperty("query").GetString(), Sent("/v1/rerank").GetProperty("documents").GetArrayLength()));
        // audio_transcription: half a second of silence as a WAV file (44-byte header, 16,000 bytes of samples).
        var audio = Sent("/v1/audio/transcriptions");
        Assert.Equal(("whisper-upstream", "health-check.wav", 16_044L),
            (audio.GetProperty("model").GetString(), audio.GetProperty("file").GetProperty("filename").GetString(), audio.GetProperty("file").GetProperty("bytes").GetInt64()));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "llmgate-upload-health-*"));
    }

    [Fact]
    public async Task CheckAsync_FailingDeployment_UnhealthyWithAShortErrorWithoutTheProviderKey()
    {
        var upstream = await UpstreamAsync();
        upstream.FailWithStatus = 401;
        upstream.ErrorMessage = $"Incorrect API key provided: {upstream.ApiKey}. " + new string('x', 1000);
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("gpt-4o", upstream, "d1")}
            """);

        var result = Assert.Single(await harness.Checker.CheckAsync(harness.Targets, CancellationToken.None)).Result;

        Assert.False(result.Healthy);
        Assert.StartsWith("401 invalid_request_error: Incorrect API key provided: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(upstream.ApiKey, result.Error, StringComparison.Ordinal);
        Assert.True(result.Error!.Length <= 200);
        Assert.Same(result, harness.Store.Get("d1"));
        Assert.DoesNotContain(harness.Logs.GetSnapshot(), r => r.Message.Contains(upstream.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_MockResponseAndUnusable_NoCallHealthyAndUnhealthy()
    {
        var upstream = await UpstreamAsync();
        var harness = Harness($"""
            model_list:
              - model_name: mock
                litellm_params: {"{"}model: openai/gpt-4o, mock_response: hi{"}"}
                model_info: {"{"}id: mock{"}"}
              - model_name: keyless
                litellm_params: {"{"}model: anthropic/claude-3-5-sonnet-latest{"}"}
                model_info: {"{"}id: keyless{"}"}
            {HealthHarness.Deployment("gpt-4o", upstream, "real")}
            """);

        var outcomes = await harness.Checker.CheckAsync(harness.Targets, CancellationToken.None);

        Assert.Equal(["mock", "keyless", "real"], outcomes.Select(o => o.Result.DeploymentId));
        Assert.True(outcomes[0].Result.Healthy);
        Assert.False(outcomes[1].Result.Healthy);
        Assert.StartsWith("cannot be called: it has no API key", outcomes[1].Result.Error, StringComparison.Ordinal);
        Assert.Null(outcomes[1].Failure);
        Assert.Single(upstream.Received);
    }

    [Fact]
    public async Task Targets_WildcardWithoutHealthCheckModelOrUnservedMode_LeftOut_WithHealthCheckModelChecked()
    {
        var upstream = await UpstreamAsync();
        var harness = Harness($"""
            model_list:
              - model_name: "openai/*"
                litellm_params: {"{"}model: "openai/*", api_base: "{upstream.ApiBase}", api_key: {upstream.ApiKey}{"}"}
                model_info: {"{"}id: wild{"}"}
              - model_name: "checked/*"
                litellm_params: {"{"}model: "openai/*", api_base: "{upstream.ApiBase}", api_key: {upstream.ApiKey}{"}"}
                model_info: {"{"}id: wild-checked, health_check_model: openai/gpt-4o-mini{"}"}
            {HealthHarness.Deployment("batch", upstream, "batcher", ", mode: batch")}
            """);

        var outcome = Assert.Single(await harness.Checker.CheckAsync(harness.Targets, CancellationToken.None));

        Assert.Equal("wild-checked", outcome.Result.DeploymentId);
        Assert.Equal("gpt-4o-mini", JsonDocument.Parse(Assert.Single(upstream.Received).Body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task CheckAsync_CallerGoesAway_NothingRecorded()
    {
        var upstream = await UpstreamAsync();
        upstream.Hang = true;
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("gpt-4o", upstream, "d1")}
            """);
        using var caller = new CancellationTokenSource();

        var check = harness.Checker.CheckAsync(harness.Targets, caller.Token);
        await upstream.RequestArrived.WaitAsync(TimeSpan.FromSeconds(10));
        await caller.CancelAsync();

        Assert.Empty(await check.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(harness.Store.Get("d1"));
        Assert.Null(harness.Store.LastUpdated);
    }
}
