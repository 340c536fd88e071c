using System.Text;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Testing;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Tests.Providers;

public sealed class StreamRelayReadsTests
{
    [Fact]
    public async Task RelayBytesAsync_Stream_WaitsForEachReadWithoutABufferAndRelaysEveryByte()
    {
        var events = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50).Select(i =>
            $"data: {{\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{i}\"}}}}]}}\n\n")) + "data: [DONE]\n\n");
        var body = new RecordingStream(new PiecewiseStream(events, 37));
        var context = new DefaultHttpContext();
        var output = new MemoryStream();
        context.Response.Body = output;
        using var answer = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent([]) };

        await OpenAiCompatibleAdapter.RelayBytesAsync(context, answer, body, StreamCall(), CancellationToken.None);

        Assert.Equal(events, output.ToArray());
        // Every read that can fill a buffer comes right after a zero-byte read: an idle stream holds no buffer.
        Assert.Equal(0, body.ReadSizes[0]);
        for (var i = 1; i < body.ReadSizes.Count; i++)
        {
            Assert.True(body.ReadSizes[i] == 0 || body.ReadSizes[i - 1] == 0, $"read {i} of {body.ReadSizes[i]} bytes had no zero-byte wait before it");
        }
    }

    private static ProviderCall StreamCall()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        var endpoint = new ProviderEndpoint(new DeploymentConfig { ModelName = "m", Model = "openai/m", Id = "d", ApiKey = "k" },
            ProviderAdapters.CreateDefault(TimeProvider.System), _ => null);
        return new ProviderCall(ProxyEndpointKind.ChatCompletions, "m", "d", endpoint, body, RequestBodyInspector.Inspect(body, "messages"), "m");
    }

    private sealed class RecordingStream(Stream inner) : Stream
    {
        public List<int> ReadSizes { get; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadSizes.Add(buffer.Length);
            return inner.ReadAsync(buffer, cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
