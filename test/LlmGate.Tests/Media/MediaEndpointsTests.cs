using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGate.Testing;
using OpenAI;
using OpenAI.Audio;
using OpenAI.Images;
using OpenAI.Moderations;

namespace LlmGate.Tests.Media;

/// <summary>
/// Issue 20, item 3: images, speech, moderations and rerank through the proxy, with the OpenAI SDK's clients where it
/// has one, to fakes of OpenAI, Azure OpenAI and Cohere on 127.0.0.1.
/// </summary>
public sealed class MediaEndpointsTests : IAsyncLifetime
{
    private const string MasterKey = "sk-media-master-5d20";
    private const string AzureKey = "azure-media-key";
    private const string CohereKey = "cohere-media-key";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private FakeUpstream _openAi = null!;
    private FakeAzureOpenAI _azure = null!;
    private FakeCohere _cohere = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _openAi = await FakeUpstream.StartAsync();
        _azure = await FakeAzureOpenAI.StartAsync(AzureKey, "entra-token", "my-dalle", "my-tts");
        _cohere = await FakeCohere.StartAsync(CohereKey);
        _gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: dalle
                litellm_params: {model: openai/dall-e-3, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
                model_info: {input_cost_per_image: 0.04}
              - model_name: dalle-azure
                litellm_params: {model: azure/my-dalle, api_base: "{{_azure.ApiBase}}", api_key: {{AzureKey}}}
              - model_name: tts
                litellm_params: {model: openai/tts-1, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
              - model_name: tts-azure
                litellm_params: {model: azure/my-tts, api_base: "{{_azure.ApiBase}}", api_key: {{AzureKey}}}
              - model_name: moderation
                litellm_params: {model: openai/omni-moderation-latest, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
              - model_name: moderation-azure
                litellm_params: {model: azure/my-tts, api_base: "{{_azure.ApiBase}}", api_key: {{AzureKey}}}
              - model_name: claude
                litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "{{_openAi.ApiBase}}", api_key: sk-ant-media}
              - model_name: rerank
                litellm_params: {model: cohere/rerank-v3.5, api_base: "{{_cohere.Root}}", api_key: {{CohereKey}}}
              - model_name: rerank-vllm
                litellm_params: {model: hosted_vllm/BAAI/bge-reranker-v2-m3, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {{MasterKey}}
            """);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _openAi.DisposeAsync();
        await _azure.DisposeAsync();
        await _cohere.DisposeAsync();
    }

    [Fact]
    public async Task Images_OpenAiSdk_BodyPassedThroughWithTheUpstreamModel_AnswerPassedBack()
    {
        var client = new ImageClient("dalle", new ApiKeyCredential(MasterKey), Options());

        GeneratedImageCollection images = await client.GenerateImagesAsync("a lighthouse at dusk", 2, new ImageGenerationOptions { Size = GeneratedImageSize.W1024xH1792 });

        Assert.Equal(["https://images.example/dall-e-3/0.png", "https://images.example/dall-e-3/1.png"], images.Select(i => i.ImageUri.ToString()));
        var sent = JsonDocument.Parse(Assert.Single(_openAi.Received).Body).RootElement;
        Assert.Equal("/v1/images/generations", Assert.Single(_openAi.Received).Path);
        Assert.Equal(("dall-e-3", "a lighthouse at dusk", 2, "1024x1792"),
            (sent.GetProperty("model").GetString(), sent.GetProperty("prompt").GetString(), sent.GetProperty("n").GetInt32(), sent.GetProperty("size").GetString()));
    }

    [Fact]
    public async Task Images_AzureRoute_GoesToTheAzureDeploymentsImagesPath()
    {
        using var response = await PostAsync("/openai/deployments/dalle-azure/images/generations?api-version=2024-10-21", """{"prompt":"a red kite"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(_azure.Received);
        Assert.StartsWith("/openai/deployments/my-dalle/images/generations", request.Path, StringComparison.Ordinal);
        Assert.Equal("https://images.example/my-dalle/0.png", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Speech_OpenAiSdk_AudioBytesAndTheUpstreamsContentType()
    {
        var client = new AudioClient("tts", new ApiKeyCredential(MasterKey), Options());

        ClientResult<BinaryData> speech = await client.GenerateSpeechAsync("Hello there", GeneratedSpeechVoice.Alloy);

        Assert.Equal(FakeMediaApi.Audio, speech.Value.ToArray());
        Assert.True(speech.GetRawResponse().Headers.TryGetValue("Content-Type", out var contentType));
        Assert.Equal("audio/mpeg", contentType);
        var sent = JsonDocument.Parse(Assert.Single(_openAi.Received).Body).RootElement;
        Assert.Equal(("tts-1", "Hello there", "alloy"), (sent.GetProperty("model").GetString(), sent.GetProperty("input").GetString(), sent.GetProperty("voice").GetString()));
    }

    [Fact]
    public async Task Speech_LargeAnswer_FirstBytesReachTheClientBeforeTheUpstreamFinished()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _openAi.HoldStreamAfterFirstChunk = hold;
        using var http = Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/audio/speech", UriKind.Relative))
        {
            Content = new StringContent("""{"model":"tts","input":"A long story","voice":"alloy","response_format":"wav"}""", Encoding.UTF8, "application/json"),
        };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        var stream = await response.Content.ReadAsStreamAsync();
        var half = new byte[FakeMediaApi.Audio.Length / 2];
        await stream.ReadExactlyAsync(half).AsTask().WaitAsync(Patience); // the fake still holds its second half

        Assert.False(hold.Task.IsCompleted);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FakeMediaApi.Audio.AsSpan(0, half.Length).ToArray(), half);
        hold.SetResult();
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest).WaitAsync(Patience);
        Assert.Equal(FakeMediaApi.Audio.AsSpan(half.Length).ToArray(), rest.ToArray());
    }

    [Fact]
    public async Task Speech_Azure_FirstBytesReachTheClientBeforeTheUpstreamFinished()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _azure.HoldSpeechAfterFirstHalf = hold;
        using var http = Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/audio/speech", UriKind.Relative))
        {
            Content = new StringContent("""{"model":"tts-azure","input":"A long story","voice":"alloy"}""", Encoding.UTF8, "application/json"),
        };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        var stream = await response.Content.ReadAsStreamAsync();
        var half = new byte[FakeMediaApi.Audio.Length / 2];
        await stream.ReadExactlyAsync(half).AsTask().WaitAsync(Patience); // the fake still holds its second half

        Assert.False(hold.Task.IsCompleted);
        hold.SetResult();
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest).WaitAsync(Patience);
        Assert.Equal(FakeMediaApi.Audio, half.Concat(rest.ToArray()).ToArray());
    }

    [Fact]
    public async Task Moderations_OpenAiSdk_PassedThrough()
    {
        var client = new ModerationClient("moderation", new ApiKeyCredential(MasterKey), Options());

        ModerationResult result = await client.ClassifyTextAsync("I will kill the build");

        Assert.True(result.Flagged);
        Assert.Equal("omni-moderation-latest", JsonDocument.Parse(Assert.Single(_openAi.Received).Body).RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("/v1/moderations", """{"model":"moderation-azure","input":"hi"}""", "/moderations is not supported by provider azure.")]
    [InlineData("/v1/images/generations", """{"model":"claude","prompt":"a cat"}""", "/images/generations is not supported by provider anthropic.")]
    [InlineData("/v1/rerank", """{"model":"claude","query":"q","documents":["d"]}""", "/rerank is not supported by provider anthropic.")]
    public async Task ProviderWithoutTheEndpoint_Refused400NamingProviderAndEndpoint_NothingSent(string path, string body, string message)
    {
        using var response = await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(_azure.Received);
        Assert.Empty(_openAi.Received);
    }

    [Fact]
    public async Task Images_MissingPrompt_Refused400BeforeRouting()
    {
        using var response = await PostAsync("/v1/images/generations", """{"model":"dalle"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'prompt'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_openAi.Received);
    }

    [Theory]
    [InlineData("/v1/rerank")]
    [InlineData("/rerank")]
    [InlineData("/v2/rerank")]
    public async Task Rerank_CohereDeployment_PassedThroughToCoheresV2Rerank(string path)
    {
        using var response = await PostAsync(path,
            """{"model":"rerank","query":"capital of France","documents":["Berlin is in Germany","Paris is the capital of France"],"top_n":1,"return_documents":true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var result = Assert.Single(answer.GetProperty("results").EnumerateArray());
        Assert.Equal((1, "Paris is the capital of France"), (result.GetProperty("index").GetInt32(), result.GetProperty("document").GetProperty("text").GetString()));
        var request = Assert.Single(_cohere.Received);
        Assert.Equal("/v2/rerank", request.Path);
        Assert.Equal("Bearer " + CohereKey, request.Authorization);
        Assert.Equal("rerank-v3.5", JsonDocument.Parse(request.Body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Rerank_OpenAiCompatibleDeployment_PostedToApiBaseRerank()
    {
        using var response = await PostAsync("/v1/rerank", """{"model":"rerank-vllm","query":"red","documents":["blue sky","red kite"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(_openAi.Received);
        Assert.Equal("/v1/rerank", request.Path);
        Assert.Equal("BAAI/bge-reranker-v2-m3", JsonDocument.Parse(request.Body).RootElement.GetProperty("model").GetString());
        Assert.Equal(1, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0].GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task ImagesWithVirtualKey_PricedPerImage_CostOnTheAnswerAndBudgetReservedForEveryImageAsked()
    {
        using var admin = Http();
        using var generated = await admin.PostAsync(new Uri("key/generate", UriKind.Relative),
            new StringContent("""{"max_budget":0.1,"key_alias":"images"}""", Encoding.UTF8, "application/json"));
        var key = JsonDocument.Parse(await generated.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

        using var first = await PostAsync("/v1/images/generations", """{"model":"dalle","prompt":"a fox","n":2}""", key);
        using var tooMany = await PostAsync("/v1/images/generations", """{"model":"dalle","prompt":"a fox","n":2}""", key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(0.08, double.Parse(first.Headers.GetValues("x-litellm-response-cost").Single(), System.Globalization.CultureInfo.InvariantCulture), 9);
        // 0.08 spent of 0.1: two more images (0.08) cannot fit, so the call is refused before it reaches the upstream.
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);
        Assert.Contains("This request could cost up to 0.08", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(_openAi.Received);
    }

    [Fact]
    public async Task SpeechAndRerankWithVirtualKey_PricedPerCharacterAndSearchUnitFromTheBuiltInTable()
    {
        using var admin = Http();
        using var generated = await admin.PostAsync(new Uri("key/generate", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        var key = JsonDocument.Parse(await generated.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

        using var speech = await PostAsync("/v1/audio/speech", """{"model":"tts","input":"0123456789","voice":"alloy"}""", key);
        using var rerank = await PostAsync("/v1/rerank", """{"model":"rerank","query":"q","documents":["a","b"]}""", key);

        Assert.Equal(1.5e-04, Cost(speech), 12); // tts-1: 10 characters at 1.5e-05
        Assert.Equal(0.002, Cost(rerank), 12); // rerank-v3.5: one search unit

        static double Cost(HttpResponseMessage response) =>
            double.Parse(response.Headers.GetValues("x-litellm-response-cost").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private OpenAIClientOptions Options() => new()
    {
        Endpoint = new Uri(_gateway.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = Patience,
    };

    private HttpClient Http(string key = MasterKey)
    {
        var http = new HttpClient { BaseAddress = _gateway.BaseAddress, Timeout = Patience };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string key = MasterKey)
    {
        using var http = Http(key);
        return await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
    }
}
