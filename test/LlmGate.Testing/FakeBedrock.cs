using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// AWS Bedrock Runtime on 127.0.0.1, standing for <c>https://bedrock-runtime.{region}.amazonaws.com</c>:
/// <c>POST /model/{modelId}/converse | converse-stream | invoke | invoke-with-response-stream</c>, the model id one
/// percent-encoded path segment (matched on the raw target, as sent).
/// <para>
/// <b>Authentication</b>, as AWS checks it: a SigV4 signature of service <c>bedrock</c> in this region by a known access
/// key (the one it starts with, those given to <see cref="AcceptCredentials"/>, and those a trusted <see cref="FakeSts"/>
/// issued, whose session token must come signed and which expire), recomputed from the request as received (raw path,
/// the received Host with its port, the body), dated within 15 minutes of <see cref="Time"/>; or
/// <c>Authorization: Bearer {bearerApiKey}</c> (a Bedrock API key). Refusals are AWS's 403s
/// (<c>InvalidSignatureException</c>, <c>UnrecognizedClientException</c>, <c>ExpiredTokenException</c>…).
/// </para>
/// <para>
/// <b>Converse</b> is checked by <see cref="ConverseRequestCheck"/> and answered by <see cref="ConverseReply"/>;
/// ConverseStream answers the same as event-stream frames (<see cref="AwsEventStream"/>), each padded with <c>"p"</c> and
/// split across two writes. <b>Invoke</b> serves Anthropic models (Anthropic's Messages body with
/// <c>anthropic_version: bedrock-2023-05-31</c>, see <see cref="AnthropicDialect.Bedrock"/>; streamed as <c>chunk</c>
/// frames of base64 Anthropic events) and embedding models (<see cref="BedrockEmbeddings"/>). Any refusal of a body is a
/// 400 <c>ValidationException</c>, never a 500.
/// </para>
/// </summary>
public sealed class FakeBedrock : IAsyncDisposable
{
    /// <summary>The length of an embedding vector when the request asks for none.</summary>
    public const int DefaultEmbeddingDimensions = 8;

    /// <summary>The SigV4 signing name of Bedrock Runtime (not its endpoint prefix, <c>bedrock-runtime</c>).</summary>
    public const string SigningName = "bedrock";

    private static readonly string[] Operations = ["converse", "converse-stream", "invoke", "invoke-with-response-stream"];

    private readonly ConcurrentDictionary<string, FakeAwsCredentials> _credentials = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeSts> _trusted = new();
    private readonly ConcurrentQueue<BedrockCall> _calls = new();
    private readonly string? _bearerApiKey;
    private readonly AwsSigV4Verifier _verifier;
    private readonly ReceivedRequestLog _received;
    private readonly FailureSteering _failure = new();
    private WebApplication _app = null!;
    private int _answers;

    private FakeBedrock(string region, string? bearerApiKey, TimeProvider time)
    {
        Region = region;
        Time = time;
        _bearerApiKey = bearerApiKey;
        _received = new ReceivedRequestLog(time);
        _verifier = new AwsSigV4Verifier(SigningName, region, time, Find);
    }

    /// <summary>The <c>api_base</c> / <c>aws_bedrock_runtime_endpoint</c> to configure: the server root, no trailing '/'.</summary>
    public Uri ApiBase { get; private set; } = null!;

    /// <summary>The region signatures must be scoped to.</summary>
    public string Region { get; }

    /// <summary>The clock for the signature's date and the expiry of temporary credentials.</summary>
    public TimeProvider Time { get; }

    /// <summary>When set, the next requests (once authenticated) fail with this status and Bedrock's exception for it (429 <c>ThrottlingException</c>…).</summary>
    public int? FailWithStatus { get => _failure.Status; set => _failure.Status = value; }

    /// <summary>With <see cref="FailWithStatus"/>: only this many next requests fail, then answers are normal again; null = all fail.</summary>
    public int? FailRemaining { get => _failure.Remaining; set => _failure.Remaining = value; }

    /// <summary>When set, a stream sends frames up to its first delta and then waits for this before sending the rest.</summary>
    public TaskCompletionSource? HoldStreamAfterFirstChunk { get; set; }

    /// <summary>When true, a stream's frame after its first delta has a wrong message CRC, and the response ends there.</summary>
    public bool CorruptFrame { get; set; }

    /// <summary>When set (e.g. <c>throttlingException</c>), a stream's first delta is followed by an exception frame of this type, and the response ends there.</summary>
    public string? StreamException { get; set; }

    /// <summary>Path and query, Authorization, body, headers and raw target of every request, refused ones included.</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received.Received;

    /// <summary>Each authenticated, routed request: the decoded model id, the operation, who signed it.</summary>
    public IReadOnlyCollection<BedrockCall> Calls => _calls;

    /// <summary>Bedrock in <paramref name="region"/>, accepting SigV4 by this long-term key (and Bearer <paramref name="bearerApiKey"/> when given).</summary>
    /// <param name="time">The clock; the system clock by default (tests may pass a <c>FakeTimeProvider</c>, and sign with its time).</param>
    public static async Task<FakeBedrock> StartAsync(string accessKeyId, string secretAccessKey, string region = "us-east-1", string? bearerApiKey = null,
        TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        var fake = new FakeBedrock(region, bearerApiKey, time ?? TimeProvider.System);
        fake.AcceptCredentials(accessKeyId, secretAccessKey);
        (fake._app, fake.ApiBase) = await LoopbackServer.StartAsync(app => app.Run(fake.HandleAsync));
        return fake;
    }

    /// <summary>Accepts signatures by these credentials too; temporary ones need their session token, signed, until <paramref name="expiration"/>.</summary>
    public void AcceptCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null, DateTimeOffset? expiration = null) =>
        _credentials[accessKeyId] = new FakeAwsCredentials(accessKeyId, secretAccessKey, sessionToken, expiration);

    /// <summary>Accepts the temporary credentials <paramref name="sts"/> has issued or will issue, each until its expiration.</summary>
    public void AcceptCredentialsFrom(FakeSts sts)
    {
        ArgumentNullException.ThrowIfNull(sts);
        _trusted.Enqueue(sts);
    }

    /// <summary>The URL of an operation on a model: <see cref="ApiBase"/><c>/model/{modelId, percent-encoded as one segment}/{operation}</c>.</summary>
    public Uri UrlFor(string modelId, string operation) => new($"{ApiBase}model/{Uri.EscapeDataString(modelId)}/{operation}");

    /// <summary>The embedding the fake answers for <paramref name="text"/> (each of Cohere's texts is embedded alone).</summary>
    public static float[] ExpectedEmbedding(string text, int dimensions = DefaultEmbeddingDimensions) => EmbeddingVectors.Of(text, dimensions);

    /// <summary>Completes once this many requests (refused ones included) have been received.</summary>
    public Task WaitForRequestsAsync(int count) => _received.WaitForAsync(count);

    public async ValueTask DisposeAsync()
    {
        HoldStreamAfterFirstChunk?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private FakeAwsCredentials? Find(string accessKeyId) =>
        _credentials.TryGetValue(accessKeyId, out var credentials) ? credentials : _trusted.Select(sts => sts.Find(accessKeyId)).FirstOrDefault(c => c is not null);

    // The family of a model, which decides what its invoke body is; cross-region prefixes (us., eu., apac., global.…) and ARNs are looked through.
    private static string Family(string modelId)
    {
        var id = modelId[(modelId.LastIndexOf('/') + 1)..];
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && id[..dot] is "us" or "us-gov" or "eu" or "apac" or "global" or "jp" or "au" or "ca")
        {
            id = id[(dot + 1)..];
        }

        return id switch
        {
            _ when id.StartsWith("anthropic.", StringComparison.Ordinal) => "anthropic",
            _ when id.StartsWith("amazon.titan-embed-text-v1", StringComparison.Ordinal) => "titan-v1",
            _ when id.StartsWith("amazon.titan-embed-text-v2", StringComparison.Ordinal) => "titan-v2",
            _ when id.StartsWith("cohere.embed-", StringComparison.Ordinal) => "cohere-embed",
            _ => "other",
        };
    }

    // Records the request, then serves it; a caller that goes away mid-answer ends it quietly.
    private async Task HandleAsync(HttpContext context)
    {
        var (received, body) = await _received.RecordRawAsync(context);
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await FakeRequests.ServeAsync(context, () => ServeAsync(context, received, body));
    }

    // Who signed the request ("Bearer" for the API key), or null once it has been refused as AWS would.
    private async Task<string?> AuthenticateAsync(HttpContext context, string rawTarget, byte[] body)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var (credentials, failure) = authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            ? (null, _bearerApiKey is not null && authorization["Bearer ".Length..] == _bearerApiKey
                ? null
                : new AwsAuthFailure(AwsAuthFailureKind.UnknownCredentials, "The security token included in the request is invalid."))
            : _verifier.Verify(context.Request.Method, rawTarget, context.Request.Headers, body);
        if (failure is not null)
        {
            await BedrockError.AuthAsync(context, failure);
            return null;
        }

        return credentials?.AccessKeyId ?? "Bearer";
    }

    private async Task ServeAsync(HttpContext context, ReceivedRequest received, byte[] body)
    {
        if (await AuthenticateAsync(context, received.RawTarget, body) is not { } signedBy)
        {
            return;
        }

        var segments = received.RawTarget.Split('?')[0].Split('/');
        if (context.Request.Method != "POST" || segments is not ["", "model", { Length: > 0 } rawModelId, var operation] || !Operations.Contains(operation))
        {
            await BedrockError.WriteAsync(context, 404, "UnknownOperationException", $"No operation matches {context.Request.Method} {received.RawTarget}.");
            return;
        }

        var modelId = Uri.UnescapeDataString(rawModelId);
        _calls.Enqueue(new BedrockCall(modelId, operation, signedBy));
        if (FakeRequests.ParseObject(received.Body) is not { } request)
        {
            await BedrockError.ValidationAsync(context, "Malformed input request: the body is not a JSON object, please reformat your input and try again.");
            return;
        }

        if (_failure.Take() is { } status)
        {
            var (name, message) = BedrockError.ForStatus(status);
            await BedrockError.WriteAsync(context, status, name, message);
            return;
        }

        var family = Family(modelId);
        switch (operation)
        {
            case "converse" or "converse-stream" when family is not ("anthropic" or "other"):
                await BedrockError.ValidationAsync(context, "This action doesn't support the model that you provided. Try again with a supported text or chat model.");
                return;
            case "converse" or "converse-stream":
                await ConverseAsync(context, request, operation == "converse-stream");
                return;
            case "invoke" or "invoke-with-response-stream" when family == "anthropic":
                await InvokeAnthropicAsync(context, request, modelId, operation == "invoke-with-response-stream");
                return;
            case "invoke" when family != "other":
                await InvokeEmbeddingAsync(context, request, family);
                return;
            case "invoke-with-response-stream" when family != "other":
                await BedrockError.ValidationAsync(context, "The model is unsupported for streaming.");
                return;
            default:
                await BedrockError.ValidationAsync(context, "The provided model identifier is invalid.");
                return;
        }
    }

    private async Task ConverseAsync(HttpContext context, JsonObject request, bool stream)
    {
        if (ConverseRequestCheck.Check(request) is { } invalid)
        {
            await BedrockError.ValidationAsync(context, invalid);
            return;
        }

        var reply = new ConverseReply(request, Interlocked.Increment(ref _answers));
        if (!stream)
        {
            await context.Response.WriteAsJsonAsync(reply.Response());
            return;
        }

        await StreamAsync(context, reply.StreamEvents().Select(e => (e.EventType, e.Payload, e.EventType == "contentBlockDelta")));
    }

    private async Task InvokeAnthropicAsync(HttpContext context, JsonObject request, string modelId, bool stream)
    {
        if (AnthropicMessages.Validate(request, AnthropicDialect.Bedrock) is { } invalid)
        {
            await BedrockError.ValidationAsync(context, invalid);
            return;
        }

        if (!stream)
        {
            SetTokenHeaders(context, 12, 7);
            await context.Response.WriteAsJsonAsync(AnthropicMessages.Message(request, modelId));
            return;
        }

        var events = AnthropicMessages.StreamEvents(request, modelId);
        events[^1].Data["amazon-bedrock-invocationMetrics"] = new JsonObject
        {
            ["inputTokenCount"] = 12, ["outputTokenCount"] = 9, ["invocationLatency"] = 420, ["firstByteLatency"] = 120,
        };
        await StreamAsync(context, events.Select(e =>
            ("chunk", new JsonObject { ["bytes"] = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(e.Data)) }, e.Name == "content_block_delta")));
    }

    private async Task InvokeEmbeddingAsync(HttpContext context, JsonObject request, string family)
    {
        var (answer, invalid, tokens) = family == "cohere-embed"
            ? BedrockEmbeddings.Cohere(request, $"fake-embed-{Interlocked.Increment(ref _answers)}")
            : BedrockEmbeddings.Titan(request, v2: family == "titan-v2");
        if (invalid is not null)
        {
            await BedrockError.ValidationAsync(context, invalid);
            return;
        }

        SetTokenHeaders(context, tokens, 0);
        await context.Response.WriteAsJsonAsync(answer);
    }

    private static void SetTokenHeaders(HttpContext context, int input, int output)
    {
        context.Response.Headers["X-Amzn-Bedrock-Input-Token-Count"] = input.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Amzn-Bedrock-Output-Token-Count"] = output.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Amzn-Bedrock-Invocation-Latency"] = "420";
    }

    // Writes each event as a frame split across two writes; after the first delta, the knobs may hold, corrupt or cut the stream.
    private async Task StreamAsync(HttpContext context, IEnumerable<(string EventType, JsonObject Payload, bool IsDelta)> events)
    {
        context.Response.ContentType = EventStreamWriter.ContentType;
        var deltas = 0;
        foreach (var (eventType, payload, isDelta) in events)
        {
            var frame = AwsEventStream.Event(eventType, EventStreamWriter.Padded(payload));
            if (deltas == 1 && CorruptFrame)
            {
                frame[^1] ^= 0xFF;
                await EventStreamWriter.WriteSplitAsync(context, frame);
                return;
            }

            await EventStreamWriter.WriteSplitAsync(context, frame);
            if (!isDelta || ++deltas > 1)
            {
                continue;
            }

            if (StreamException is { } exceptionType)
            {
                var message = JsonSerializer.Serialize(new { message = exceptionType == "throttlingException" ? "Too many requests, please wait before trying again." : $"Fake Bedrock {exceptionType}" });
                await EventStreamWriter.WriteSplitAsync(context, AwsEventStream.Exception(exceptionType, message));
                return;
            }

            if (HoldStreamAfterFirstChunk is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }
        }
    }
}
