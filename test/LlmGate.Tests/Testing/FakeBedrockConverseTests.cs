using System.Net;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake Bedrock's Converse refuses what Bedrock refuses, with a 400 ValidationException, and answers the rest as Bedrock does.</summary>
public sealed class FakeBedrockConverseTests : IAsyncLifetime
{
    private const string Model = "anthropic.claude-3-5-sonnet-20241022-v2:0";
    private const string Tools = """
        "toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"Weather","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}}}},{"toolSpec":{"name":"get_time","inputSchema":{"json":{"type":"object","properties":{"zone":{"type":"string","enum":["UTC","CET"]}},"required":["zone"]}}}}]}
        """;
    private const string User = """{"role":"user","content":[{"text":"Weather in Paris?"}]}""";
    private const string Call = """{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]}""";
    private const string Asked = "{\"messages\":[" + User + "]}";
    private const string Result = """{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"text":"18C"}],"status":"success"}}]}""";
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
    [InlineData("""{"messages":[]}""", "A conversation must start with a user message.")]
    [InlineData("""{"messages":[{"role":"assistant","content":[{"text":"hi"}]}]}""", "A conversation must start with a user message.")]
    [InlineData("{\"messages\":[" + User + "," + User + "]}", "A conversation must alternate between user and assistant roles.")]
    [InlineData("""{"messages":[{"role":"system","content":[{"text":"hi"}]}]}""", "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "1 validation error detected: Value '\"hi\"' at 'messages.1.member.content'")]
    [InlineData("""{"messages":[{"role":"user","content":[]}]}""", "The content field in the Message object at messages.0 is empty.")]
    [InlineData("""{"messages":[{"role":"user","content":[{"text":"hi","cachePoint":{"type":"default"}}]}]}""", "The ContentBlock at messages.0.content.0 must set exactly one of")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}""", "The ContentBlock at messages.0.content.0 must set exactly one of")]
    [InlineData("""{"messages":[{"role":"user","content":[{"text":" "}]}]}""", "The text field in the ContentBlock object at messages.0.content.0 is blank.")]
    [InlineData("""{"messages":[{"role":"user","content":[{"image":{"format":"bmp","source":{"bytes":"AAAA"}}}]}]}""", "1 validation error detected: Value 'bmp' at 'messages.0.content.0.image.format'")]
    [InlineData("""{"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"not base64!"}}}]}]}""", "messages.0.content.0.image.source.bytes is not valid base64")]
    [InlineData("{\"messages\":[" + User + ",{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"call 1\",\"name\":\"get_weather\",\"input\":{}}}]}]," + Tools + "}", "1 validation error detected: Value 'call 1' at 'messages.1.content.0.toolUse.toolUseId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+")]
    [InlineData("{\"messages\":[" + User + ",{\"role\":\"assistant\",\"content\":[{\"text\":\"ok\"}]}, " + Result + "]," + Tools + "}", "The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn.")]
    [InlineData("{\"messages\":[" + User + "," + Call + ",{\"role\":\"user\",\"content\":[{\"text\":\"and?\"}]}]," + Tools + "}", "Expected toolResult blocks at messages.2.content for the following Ids: tooluse_1")]
    [InlineData("{\"messages\":[" + User + "," + Call + ",{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"tooluse_2\",\"content\":[{\"text\":\"18C\"}]}}]}]," + Tools + "}", "The toolResult block at messages.2.content with toolUseId tooluse_2 does not answer")]
    [InlineData("{\"messages\":[" + User + "," + Call + "," + Result + "]}", "The toolConfig field must be defined when using toolUse and toolResult content blocks.")]
    [InlineData("{\"messages\":[" + User + "],\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"get-weather\",\"inputSchema\":{\"json\":{}}}}]}}", "1 validation error detected: Value 'get-weather' at 'toolConfig.tools.1.member.toolSpec.name'")]
    [InlineData("{\"messages\":[" + User + "],\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\",\"inputSchema\":{\"json\":{}}}}],\"toolChoice\":{\"none\":{}}}}", "The ToolChoice at toolConfig.toolChoice must set exactly one of [auto, any, tool]")]
    [InlineData("{\"messages\":[" + User + "],\"inferenceConfig\":{\"max_tokens\":10}}", "inferenceConfig takes only maxTokens, temperature, topP and stopSequences")]
    [InlineData("{\"messages\":[" + User + "],\"inferenceConfig\":{\"stopSequences\":[\"\"]}}", "1 validation error detected: Value '' at 'inferenceConfig.stopSequences.1.member'")]
    [InlineData("{\"modelId\":\"x\",\"messages\":[" + User + "]}", "Malformed input request: extraneous key [modelId] is not permitted")]
    [InlineData("[1]", "Malformed input request: the body is not a JSON object")]
    public async Task Converse_BodyBedrockWouldRefuse_Is400ValidationException(string json, string message)
    {
        var (status, type, body) = await _client.PostAsync(Model, "converse", json);

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException"), (status, type));
        Assert.StartsWith(message, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Converse_FullToolRoundWithEmptySystemAndFields_QuotesTheResult()
    {
        var json = "{\"messages\":[" + User + "," + Call + "," + Result + "],\"system\":[],\"additionalModelRequestFields\":{},\"inferenceConfig\":{\"maxTokens\":256,\"temperature\":0.2,\"topP\":0.9,\"stopSequences\":[\"END\"]}," + Tools + "}";

        var (status, _, body) = await _client.PostAsync(Model, "converse", json);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"role":"assistant","content":[{"text":"The tool said: 18C"}]}""", body["output"]!["message"]!.ToJsonString());
        Assert.Equal(("end_turn", 12, 7, 19), (body["stopReason"]!.GetValue<string>(), body["usage"]!["inputTokens"]!.GetValue<int>(),
            body["usage"]!["outputTokens"]!.GetValue<int>(), body["usage"]!["totalTokens"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("", """[{"text":"Let me check."},{"toolUse":{"toolUseId":"tooluse_fake0001Bdrk","name":"get_weather","input":{"city":"Paris"}}}]""")]
    [InlineData(""","toolChoice":{"any":{}}""", """[{"toolUse":{"toolUseId":"tooluse_fake0001Bdrk","name":"get_weather","input":{"city":"Paris"}}}]""")]
    [InlineData(""","toolChoice":{"tool":{"name":"get_time"}}""", """[{"toolUse":{"toolUseId":"tooluse_fake0001Bdrk","name":"get_time","input":{"zone":"UTC"}}}]""")]
    public async Task Converse_ToolsOffered_CallsTheFirstOrTheForcedTool(string toolChoice, string content)
    {
        var json = "{\"messages\":[" + User + "]," + Tools[..^1] + toolChoice + "}}";

        using var response = await _client.SendAsync(Model, "converse", json);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(content, body["output"]!["message"]!["content"]!.ToJsonString());
        Assert.Equal("tool_use", body["stopReason"]!.GetValue<string>());
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
    }

    [Fact]
    public async Task ConverseStream_Text_DecodesIntoBedrocksEventsWithPadding()
    {
        var frames = await _client.StreamAsync(Model, "converse-stream", Asked);

        string[] types = [.. frames.Select(f => f[":event-type"]!)];
        Assert.Equal(["messageStart", .. Enumerable.Repeat("contentBlockDelta", types.Length - 4), "contentBlockStop", "messageStop", "metadata"], types);
        Assert.True(types.Length - 4 >= 3);
        Assert.All(frames, f => Assert.Equal(("event", "application/json"), (f[":message-type"], f[":content-type"])));
        var payloads = frames.Select(f => JsonNode.Parse(f.Payload)!.AsObject()).ToList();
        Assert.All(payloads, p => Assert.NotEmpty(p["p"]!.GetValue<string>()));
        Assert.Equal("Hello from fake Bedrock! You said: Weather in Paris?", string.Concat(payloads.Where(p => p["delta"] is not null).Select(p => p["delta"]!["text"]!.GetValue<string>())));
        Assert.Equal("end_turn", payloads[^2]["stopReason"]!.GetValue<string>());
        Assert.Equal(19, payloads[^1]["usage"]!["totalTokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task ConverseStream_ToolCall_StartsTheBlockAndStreamsItsInputInPieces()
    {
        var frames = await _client.StreamAsync(Model, "converse-stream", "{\"messages\":[" + User + "]," + Tools[..^1] + ",\"toolChoice\":{\"any\":{}}}}");

        var payloads = frames.Select(f => (Type: f[":event-type"], Json: JsonNode.Parse(f.Payload)!)).ToList();
        var start = Assert.Single(payloads, p => p.Type == "contentBlockStart").Json;
        Assert.Equal("""{"toolUseId":"tooluse_fake0001Bdrk","name":"get_weather"}""", start["start"]!["toolUse"]!.ToJsonString());
        var pieces = payloads.Where(p => p.Type == "contentBlockDelta").Select(p => p.Json["delta"]!["toolUse"]!["input"]!.GetValue<string>()).ToList();
        Assert.True(pieces.Count >= 2);
        Assert.Equal("""{"city":"Paris"}""", string.Concat(pieces));
        Assert.Equal("tool_use", payloads.Single(p => p.Type == "messageStop").Json["stopReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConverseStream_StreamException_EndsWithAnExceptionFrameAfterTheFirstDelta()
    {
        _bedrock.StreamException = "throttlingException";

        var frames = await _client.StreamAsync(Model, "converse-stream", Asked);

        Assert.Equal(["messageStart", "contentBlockDelta", null], frames.Select(f => f[":event-type"]));
        Assert.Equal(("exception", "throttlingException"), (frames[^1][":message-type"], frames[^1][":exception-type"]));
        Assert.Equal("Too many requests, please wait before trying again.", JsonNode.Parse(frames[^1].Payload)!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConverseStream_CorruptFrame_SendsABadCrcAndEnds()
    {
        _bedrock.CorruptFrame = true;

        using var response = await _client.SendAsync(Model, "converse-stream", Asked);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        var error = Assert.Throws<InvalidDataException>(() => EventStreamDecoder.Decode(bytes));
        Assert.StartsWith("Bad message CRC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConverseStream_HoldStreamAfterFirstChunk_SendsTheFirstDeltaThenWaits()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _bedrock.HoldStreamAfterFirstChunk = hold;
        using var response = await _client.OpenAsync(Model, "converse-stream", Asked);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[4096];

        // Read while held until the first delta is complete: the fake must have sent it before waiting.
        while (!EventStreamDecoder.DecodeComplete(received.ToArray(), out _).Any(f => f[":event-type"] == "contentBlockDelta"))
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotEqual(0, read);
            received.Write(buffer, 0, read);
        }

        hold.SetResult();
        await stream.CopyToAsync(received);

        Assert.Equal("metadata", EventStreamDecoder.Decode(received.ToArray())[^1][":event-type"]);
    }

    [Theory]
    [InlineData(429, "ThrottlingException", "Too many requests, please wait before trying again.")]
    [InlineData(503, "ServiceUnavailableException", "Bedrock is unable to process your request.")]
    [InlineData(400, "ValidationException", "Input is too long for requested model.")]
    [InlineData(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.")]
    [InlineData(404, "ResourceNotFoundException", "Could not resolve the foundation model from the provided model identifier.")]
    [InlineData(500, "InternalServerException", "The server encountered an internal error while processing the request.")]
    public async Task Converse_FailWithStatus_AnswersBedrocksExceptionThenRecovers(int status, string errorType, string message)
    {
        (_bedrock.FailWithStatus, _bedrock.FailRemaining) = (status, 1);

        var failed = await _client.PostAsync(Model, "converse", Asked);
        var next = await _client.PostAsync(Model, "converse", Asked);

        Assert.Equal(((HttpStatusCode)status, errorType, message), (failed.Status, failed.ErrorType, failed.Body["message"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }
}
