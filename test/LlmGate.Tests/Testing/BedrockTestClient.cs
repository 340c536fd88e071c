using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>Plain HttpClient requests to a <see cref="FakeBedrock"/>, SigV4-signed by the test library's signer at the fake's time.</summary>
internal sealed class BedrockTestClient(FakeBedrock bedrock, FakeAwsCredentials credentials) : IDisposable
{
    private readonly HttpClient _http = new();

    /// <summary>Posts <paramref name="json"/> to the model's operation, signed by <paramref name="signer"/> (the client's credentials by default); <paramref name="afterSigning"/> may then tamper with it.</summary>
    public Task<HttpResponseMessage> SendAsync(string modelId, string operation, string json, Action<HttpRequestMessage>? afterSigning = null,
        FakeAwsCredentials? signer = null, DateTimeOffset? signedAt = null) =>
        SendAsync(modelId, operation, json, HttpCompletionOption.ResponseContentRead, afterSigning, signer, signedAt);

    /// <summary>Posts <paramref name="json"/> and returns once the headers have come, for the body to be read as it streams.</summary>
    public Task<HttpResponseMessage> OpenAsync(string modelId, string operation, string json) =>
        SendAsync(modelId, operation, json, HttpCompletionOption.ResponseHeadersRead, null, null, null);

    /// <summary>As <see cref="SendAsync"/>, read as its status, the exception name of <c>x-amzn-ErrorType</c> (or "") and its JSON body.</summary>
    public async Task<(HttpStatusCode Status, string ErrorType, JsonNode Body)> PostAsync(string modelId, string operation, string json,
        Action<HttpRequestMessage>? afterSigning = null, FakeAwsCredentials? signer = null, DateTimeOffset? signedAt = null)
    {
        using var response = await SendAsync(modelId, operation, json, afterSigning, signer, signedAt);
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.Single().Split(':')[0] : "";
        return (response.StatusCode, errorType, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Posts to a streaming operation and decodes the whole answer into frames.</summary>
    public async Task<List<EventStreamFrame>> StreamAsync(string modelId, string operation, string json)
    {
        using var response = await SendAsync(modelId, operation, json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.amazon.eventstream", response.Content.Headers.ContentType?.MediaType);
        return EventStreamDecoder.Decode(await response.Content.ReadAsByteArrayAsync());
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(string modelId, string operation, string json, HttpCompletionOption completion,
        Action<HttpRequestMessage>? afterSigning, FakeAwsCredentials? signer, DateTimeOffset? signedAt)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, bedrock.UrlFor(modelId, operation)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        AwsSigV4.Sign(request, body, signer ?? credentials, bedrock.Region, FakeBedrock.SigningName, signedAt ?? bedrock.Time.GetUtcNow());
        afterSigning?.Invoke(request);
        return await _http.SendAsync(request, completion);
    }
}
