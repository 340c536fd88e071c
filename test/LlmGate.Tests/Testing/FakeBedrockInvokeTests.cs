using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake Bedrock's InvokeModel: Anthropic's Messages in Bedrock's dialect, and the embedding models' own bodies.</summary>
public sealed class FakeBedrockInvokeTests : IAsyncLifetime
{
    private const string Claude = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static readonly FakeAwsCredentials Key = new("AKIAFAKEBEDROCK00001", "fake/secret");
    private FakeBedrock _bedrock = null!;
    private BedrockTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _bedrock = await FakeBedrock.StartAsync(Key.AccessKeyId, Key.SecretAccessKey);
        _client = new BedrockTestClient(_bedrock, Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _bedrock.DisposeAsync();
    }

    [Theory]
    [InlineData("{\"max_tokens\":10," + Messages + "}", "Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again.")]
    [InlineData("{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":10," + Messages + "}", "anthropic_version: Input should be 'bedrock-2023-05-31'")]
    [InlineData("{\"anthropic_version\":\"bedrock-2023-05-31\",\"model\":\"claude\",\"max_tokens\":10," + Messages + "}", "Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again.")]
    [InlineData("{\"anthropic_version\":\"bedrock-2023-05-31\",\"stream\":true,\"max_tokens\":10," + Messages + "}", "Malformed input request: #: extraneous key [stream] is not permitted, please reformat your input and try again.")]
    [InlineData("{\"anthropic_version\":\"bedrock-2023-05-31\"," + Messages + "}", "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again.")]
    public async Task Invoke_AnthropicBodyBedrockWouldRefuse_Is400ValidationException(string json, string message)
    {
        var (status, type, body) = await _client.PostAsync(Claude, "invoke", json);

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException", message), (status, type, body["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Invoke_AnthropicBody_AnswersAnthropicsMessageForTheModelInTheUrl()
    {
        var (status, _, body) = await _client.PostAsync(Claude, "invoke", "{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"context-1m-2025-08-07\"],\"max_tokens\":10," + Messages + "}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("message", Claude, "Hello from the fake Anthropic."),
            (body["type"]!.GetValue<string>(), body["model"]!.GetValue<string>(), body["content"]![0]!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task InvokeWithResponseStream_Anthropic_ChunksCarryAnthropicsEventsInBase64()
    {
        var frames = await _client.StreamAsync(Claude, "invoke-with-response-stream", "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10," + Messages + "}");

        Assert.All(frames, f => Assert.Equal(("event", "chunk"), (f[":message-type"], f[":event-type"])));
        var events = frames.Select(f => JsonNode.Parse(Convert.FromBase64String(JsonNode.Parse(f.Payload)!["bytes"]!.GetValue<string>()))!).ToList();
        Assert.Equal("message_start", events[0]["type"]!.GetValue<string>());
        Assert.Equal("Hello from the fake Anthropic.", string.Concat(events.Where(e => e["type"]!.GetValue<string>() == "content_block_delta").Select(e => e["delta"]!["text"]!.GetValue<string>())));
        Assert.Equal("message_stop", events[^1]["type"]!.GetValue<string>());
        Assert.Equal(12, events[^1]["amazon-bedrock-invocationMetrics"]!["inputTokenCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Invoke_TitanV2_AnswersTheExpectedEmbeddingAndTokenCount()
    {
        var (status, _, body) = await _client.PostAsync("amazon.titan-embed-text-v2:0", "invoke", """{"inputText":"hello bedrock world","dimensions":256,"normalize":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(FakeBedrock.ExpectedEmbedding("hello bedrock world", 256), body["embedding"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(3, body["inputTextTokenCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("amazon.titan-embed-text-v1", """{"inputText":"hi","dimensions":256}""", "Malformed input request: #: extraneous key [dimensions] is not permitted, please reformat your input and try again.")]
    [InlineData("amazon.titan-embed-text-v2:0", """{"inputText":"hi","dimensions":100}""", "Malformed input request: #/dimensions: 100 is not a valid enum value, please reformat your input and try again.")]
    [InlineData("amazon.titan-embed-text-v2:0", """{"inputText":""}""", "Malformed input request: #/inputText: expected minLength: 1, actual: 0, please reformat your input and try again.")]
    [InlineData("cohere.embed-english-v3", """{"texts":["hi"]}""", "Malformed input request: #: required key [input_type] not found, please reformat your input and try again.")]
    [InlineData("cohere.embed-multilingual-v3", """{"texts":["hi"],"input_type":"query"}""", "Malformed input request: #/input_type: \"query\" is not a valid enum value, please reformat your input and try again.")]
    [InlineData("meta.llama3-8b-instruct-v1:0", """{"prompt":"hi"}""", "The provided model identifier is invalid.")]
    public async Task Invoke_EmbeddingBodyBedrockWouldRefuse_Is400ValidationException(string model, string json, string message)
    {
        var (status, type, body) = await _client.PostAsync(model, "invoke", json);

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException", message), (status, type, body["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Invoke_CohereEmbed_AnswersOneExpectedEmbeddingPerText()
    {
        var (status, _, body) = await _client.PostAsync("cohere.embed-english-v3", "invoke", """{"texts":["first text","second"],"input_type":"search_document"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("embeddings_floats", body["response_type"]!.GetValue<string>());
        Assert.Equal(["first text", "second"], body["texts"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(FakeBedrock.ExpectedEmbedding("second"), body["embeddings"]![1]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    [Fact]
    public async Task Converse_EmbeddingModel_IsRefusedAsUnsupported()
    {
        var (status, _, body) = await _client.PostAsync("amazon.titan-embed-text-v2:0", "converse", """{"messages":[{"role":"user","content":[{"text":"hi"}]}]}""");

        Assert.Equal((HttpStatusCode.BadRequest, "This action doesn't support the model that you provided. Try again with a supported text or chat model."),
            (status, body["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Invoke_ArnModelId_IsOneEncodedSegmentRecordedDecoded()
    {
        const string Arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0";

        var (status, _, _) = await _client.PostAsync(Arn, "invoke", "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10," + Messages + "}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Arn, Assert.Single(_bedrock.Calls).ModelId);
        Assert.Contains("inference-profile%2Fus.anthropic", Assert.Single(_bedrock.Received).RawTarget, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_PathWithAnUnencodedSlash_IsAnUnknownOperation()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_bedrock.ApiBase, "/model/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x/invoke"))
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        AwsSigV4.Sign(request, Encoding.UTF8.GetBytes("{}"), Key, "us-east-1", FakeBedrock.SigningName, _bedrock.Time.GetUtcNow());

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("UnknownOperationException:", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }
}
