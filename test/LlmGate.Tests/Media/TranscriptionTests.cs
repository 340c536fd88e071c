using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.Proxy;
using LlmGate.Tests.Proxy;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Audio;

namespace LlmGate.Tests.Media;

/// <summary>
/// Issue 20, item 3: <c>/v1/audio/transcriptions</c> and <c>/translations</c>: the multipart upload spooled to disk and
/// sent again by every attempt, the OpenAI SDK's audio client against a fake OpenAI, pricing per second, the refusals,
/// and no spooled file left behind.
/// </summary>
public sealed class TranscriptionTests : IAsyncLifetime
{
    private const string MasterKey = "sk-transcribe-master-8a31";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _uploads = Directory.CreateTempSubdirectory("llmgate-uploads-").FullName;
    private FakeUpstream _openAi = null!;
    private FakeUpstream _failing = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _openAi = await FakeUpstream.StartAsync();
        _failing = await FakeUpstream.StartAsync();
        _failing.FailWithStatus = 503;
        _gateway = await StartAsync($$"""
            model_list:
              - model_name: whisper
                litellm_params: {model: openai/whisper-1, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
              - model_name: whisper-own-price
                litellm_params: {model: openai/whisper-1, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
                model_info: {input_cost_per_second: 0.002}
              - model_name: whisper-retried
                litellm_params: {model: openai/whisper-1, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}, num_retries: 1}
              - model_name: whisper-broken
                litellm_params: {model: openai/whisper-1, api_base: "{{_failing.ApiBase}}", api_key: {{_failing.ApiKey}}}
              - model_name: transcribe
                litellm_params: {model: openai/gpt-4o-transcribe, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
              - model_name: claude
                litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "{{_openAi.ApiBase}}", api_key: sk-ant-transcribe}
            router_settings:
              num_retries: 0
              retry_after: 0
              fallbacks: [{"whisper-broken": ["whisper"]}]
            general_settings:
              master_key: {{MasterKey}}
            """);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _openAi.DisposeAsync();
        await _failing.DisposeAsync();
        Directory.Delete(_uploads, recursive: true);
    }

    [Fact]
    public async Task Transcribe_OpenAiSdk_FileAndEveryFieldReachTheUpstream_ModelRewritten()
    {
        var audio = Audio(300_000);
        var client = new AudioClient("whisper", new ApiKeyCredential(MasterKey), Options());

        AudioTranscription transcription = await client.TranscribeAudioAsync(new MemoryStream(audio), "meeting.wav", new AudioTranscriptionOptions
        {
            Language = "en",
            Prompt = "Names: Ada, Grace.",
            Temperature = 0.2f,
            ResponseFormat = AudioTranscriptionFormat.Verbose,
            TimestampGranularities = AudioTimestampGranularities.Word | AudioTimestampGranularities.Segment,
        });

        Assert.Equal(FakeTranscriptionApi.TextOf("transcriptions"), transcription.Text);
        Assert.Equal(TimeSpan.FromSeconds(FakeTranscriptionApi.SecondsOf(audio.Length)), transcription.Duration);
        var received = Assert.Single(_openAi.Received);
        Assert.Equal("/v1/audio/transcriptions", received.Path);
        Assert.StartsWith("multipart/form-data; boundary=", received.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.DoesNotContain("chunked", received.Headers.GetValueOrDefault("Transfer-Encoding") ?? "", StringComparison.Ordinal);
        var sent = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(("whisper-1", "en", "Names: Ada, Grace.", "verbose_json"),
            (sent.GetProperty("model").GetString(), sent.GetProperty("language").GetString(), sent.GetProperty("prompt").GetString(), sent.GetProperty("response_format").GetString()));
        Assert.Equal(0.2, double.Parse(sent.GetProperty("temperature").GetString()!, CultureInfo.InvariantCulture), 6);
        Assert.Equal(["word", "segment"], sent.GetProperty("timestamp_granularities[]").EnumerateArray().Select(g => g.GetString()).Order().Reverse());
        AssertFile(audio, "meeting.wav", sent);
        Assert.Empty(Directory.GetFiles(_uploads));
    }

    [Fact]
    public async Task Translate_OpenAiSdk_GoesToTheTranslationsPath()
    {
        var audio = Audio(40_000);
        var client = new AudioClient("whisper", new ApiKeyCredential(MasterKey), Options());

        AudioTranslation translation = await client.TranslateAudioAsync(new MemoryStream(audio), "rede.mp3");

        Assert.Equal(FakeTranscriptionApi.TextOf("translations"), translation.Text);
        var received = Assert.Single(_openAi.Received);
        Assert.Equal("/v1/audio/translations", received.Path);
        AssertFile(audio, "rede.mp3", JsonDocument.Parse(received.Body).RootElement);
    }

    [Fact]
    public async Task Transcribe_TextFormat_AnswerPassedThroughAsText()
    {
        using var response = await PostAsync("/v1/audio/transcriptions", Form(Audio(1000), ("model", "whisper"), ("response_format", "text")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FakeTranscriptionApi.TextOf("transcriptions") + "\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Transcribe_Streamed_TheUpstreamsEventsPassedThrough()
    {
        using var response = await PostAsync("/v1/audio/transcriptions", Form(Audio(1000), ("model", "transcribe"), ("stream", "true")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.GetProperty("type").GetString()).ToList();
        var words = FakeTranscriptionApi.TextOf("transcriptions").Split(' ').Length;
        Assert.Equal([.. Enumerable.Repeat("transcript.text.delta", words), "transcript.text.done"], events);
        Assert.Equal("true", JsonDocument.Parse(Assert.Single(_openAi.Received).Body).RootElement.GetProperty("stream").GetString());
    }

    [Fact]
    public async Task Transcribe_UpstreamFailsOnce_RetriedWithTheWholeFileAgain()
    {
        _openAi.FailWithStatus = 500;
        _openAi.FailRemaining = 1;
        var audio = Audio(200_000);

        using var response = await PostAsync("/v1/audio/transcriptions", Form(audio, ("model", "whisper-retried")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _openAi.Received.Count);
        Assert.All(_openAi.Received, r => AssertFile(audio, "audio.wav", JsonDocument.Parse(r.Body).RootElement));
        Assert.Empty(Directory.GetFiles(_uploads));
    }

    [Fact]
    public async Task Transcribe_DeploymentDown_FallbackGetsTheWholeFile()
    {
        var audio = Audio(120_000);

        using var response = await PostAsync("/v1/audio/transcriptions", Form(audio, ("model", "whisper-broken")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_failing.Received);
        AssertFile(audio, "audio.wav", JsonDocument.Parse(Assert.Single(_openAi.Received).Body).RootElement);
        Assert.Equal("whisper-1", JsonDocument.Parse(_openAi.Received.Single().Body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Transcribe_WithVirtualKey_PricedPerSecond_BuiltInTableOrTheDeploymentsOwnPrice()
    {
        using var admin = Http(MasterKey);
        using var generated = await admin.PostAsync(new Uri("key/generate", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        var key = JsonDocument.Parse(await generated.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        var audio = Audio(FakeTranscriptionApi.BytesPerSecond * 3);

        using var builtIn = await PostAsync("/v1/audio/transcriptions", Form(audio, ("model", "whisper")), key);
        using var own = await PostAsync("/v1/audio/transcriptions", Form(audio, ("model", "whisper-own-price")), key);

        // whisper-1: 3 s heard at 0.0001 per second (LiteLLM's output_cost_per_second, not input and output added).
        Assert.Equal(3e-4, Cost(builtIn), 12);
        Assert.Equal(6e-3, Cost(own), 12);

        static double Cost(HttpResponseMessage response) =>
            double.Parse(response.Headers.GetValues("x-litellm-response-cost").Single(), CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("""{"model":"whisper"}""", "application/json", 415, "multipart/form-data")]
    [InlineData("model=whisper", "application/x-www-form-urlencoded", 415, "multipart/form-data")]
    public async Task Transcribe_NotMultipart_Refused415(string body, string contentType, int status, string message)
    {
        using var response = await PostAsync("/v1/audio/transcriptions", new StringContent(body, Encoding.UTF8, contentType));

        await AssertRefusedAsync(response, status, message);
    }

    [Fact]
    public async Task Transcribe_NoFile_Refused400NamingTheField()
    {
        using var form = new MultipartFormDataContent { { new StringContent("whisper"), "model" } };

        using var response = await PostAsync("/v1/audio/transcriptions", form);

        await AssertRefusedAsync(response, 400, "Missing required parameter: 'file'");
    }

    [Fact]
    public async Task Transcribe_NoModel_Refused400()
    {
        using var response = await PostAsync("/v1/audio/transcriptions", Form(Audio(100)));

        await AssertRefusedAsync(response, 400, "Missing required parameter: 'model'");
    }

    [Fact]
    public async Task Transcribe_TextFieldLongerThanItsBound_Refused400NamingTheField()
    {
        using var response = await PostAsync("/v1/audio/transcriptions",
            Form(Audio(100), ("model", "whisper"), ("prompt", new string('a', AudioUploadForm.MaxFieldBytes + 1))));

        await AssertRefusedAsync(response, 400, "The form field 'prompt' is longer than 256 KB.");
    }

    [Fact]
    public async Task Transcribe_FileInAnotherField_Refused400()
    {
        using var form = new MultipartFormDataContent { { new StringContent("whisper"), "model" }, { new ByteArrayContent(Audio(100)), "audio", "a.wav" } };

        using var response = await PostAsync("/v1/audio/transcriptions", form);

        await AssertRefusedAsync(response, 400, "Unexpected file field 'audio'");
    }

    [Fact]
    public async Task Transcribe_BodyEndsBeforeItsLastBoundary_Refused400()
    {
        var truncated = "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF";
        var content = new StringContent(truncated);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        using var response = await PostAsync("/v1/audio/transcriptions", content);

        await AssertRefusedAsync(response, 400, "The multipart body could not be read");
    }

    [Fact]
    public async Task Transcribe_ProviderWithoutTheEndpoint_Refused400NamingIt()
    {
        using var response = await PostAsync("/v1/audio/transcriptions", Form(Audio(100), ("model", "claude")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("/audio/transcriptions is not supported by provider anthropic", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_openAi.Received);
        Assert.Empty(Directory.GetFiles(_uploads));
    }

    // 20 MB is more than loopback's socket buffers hold: the client is still uploading when the 413 is written (CI once
    // saw a broken pipe even at 1.2 MB), and reads it only because the gateway drains the rest instead of closing.
    [Theory]
    [InlineData(true, 1_200_000)]
    [InlineData(false, 1_200_000)]
    [InlineData(true, 20_000_000)]
    [InlineData(false, 20_000_000)]
    public async Task Transcribe_LargerThanTheLimit_Refused413_NothingSentNothingLeft(bool declaresLength, int size)
    {
        await using var small = await StartAsync($$"""
            model_list:
              - model_name: whisper
                litellm_params: {model: openai/whisper-1, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
            general_settings:
              master_key: {{MasterKey}}
              max_request_size_mb: 1
            """);
        var form = Form(Audio(size), ("model", "whisper"));
        var content = declaresLength ? form : await ChunkedContent.OfAsync(form);

        using var http = new HttpClient { BaseAddress = small.BaseAddress, Timeout = Patience };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        using var response = await http.PostAsync(new Uri("/v1/audio/transcriptions", UriKind.Relative), content);

        await AssertRefusedAsync(response, 413, "larger than the limit of 1 MB");
        Assert.Empty(_openAi.Received);
        Assert.Empty(Directory.GetFiles(_uploads));
    }

    [Fact]
    public async Task Transcribe_ClientGoneMidUpload_CallEnds_NothingSent_SpooledPartDeleted()
    {
        var ended = new EndedCallRecorder();
        await using var gateway = await StartAsync($$"""
            model_list:
              - model_name: whisper
                litellm_params: {model: openai/whisper-1, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
            general_settings:
              master_key: {{MasterKey}}
            """, ended);
        var head = "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n";

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, gateway.BaseAddress.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {MasterKey}\r\n"
                + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 4000000\r\n\r\n" + head));
            await stream.WriteAsync(Audio(1_000_000));
            await stream.FlushAsync();
        }

        var call = await ended.Ended.WaitAsync(Patience);

        Assert.NotEqual(CallOutcome.Completed, call.Outcome);
        Assert.Empty(_openAi.Received);
        Assert.Empty(Directory.GetFiles(_uploads));
    }

    [Fact]
    public async Task Transcribe_AzureStyleRoute_ModelFromThePath()
    {
        using var response = await PostAsync("/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21", Form(Audio(500)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("whisper-1", JsonDocument.Parse(Assert.Single(_openAi.Received).Body).RootElement.GetProperty("model").GetString());
    }

    // 16-bit samples of a recognisable pattern; any change in a byte changes the hash the fake reports.
    private static byte[] Audio(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * 7) % 253))];

    private static MultipartFormDataContent Form(byte[] audio, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        var file = new ByteArrayContent(audio);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "audio.wav");
        return form;
    }

    private static void AssertFile(byte[] audio, string fileName, JsonElement sent)
    {
        var file = sent.GetProperty("file");
        Assert.Equal((fileName, (long)audio.Length, Convert.ToHexStringLower(SHA256.HashData(audio))),
            (file.GetProperty("filename").GetString(), file.GetProperty("bytes").GetInt64(), file.GetProperty("sha256").GetString()));
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, int status, string message)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_openAi.Received);
        Assert.Empty(Directory.GetFiles(_uploads));
    }

    private Task<TestGateway> StartAsync(string config, ICallObserver? observer = null) =>
        TestGateway.StartAsync(config, configureServices: services =>
        {
            services.AddSingleton(new UploadFolder(_uploads));
            if (observer is not null)
            {
                services.AddSingleton(observer);
            }
        });

    private OpenAIClientOptions Options() => new()
    {
        Endpoint = new Uri(_gateway.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = Patience,
    };

    private HttpClient Http(string key)
    {
        var http = new HttpClient { BaseAddress = _gateway.BaseAddress, Timeout = Patience };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, HttpContent content, string key = MasterKey)
    {
        using var http = Http(key);
        return await http.PostAsync(new Uri(path, UriKind.Relative), content);
    }
}
