using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;
using LlmGate.Providers.Messages;
using LlmGate.Providers.Responses;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmGate.Proxy;

/// <summary>
/// The response body while a bridged attempt (<c>/v1/messages</c>, <c>/v1/responses</c>) is relayed: the chat path writes
/// OpenAI's chat answer into it as it would for any client, and it writes the inbound API's to the client. A stream is translated as it is written, each
/// flush passed on (so the client's first event leaves with the upstream's first chunk); a plain answer is collected and
/// translated once whole, its Content-Length set then. Installed only around the relay: errors before and after it are
/// written in Anthropic's shape by the error writers themselves (<see cref="MessagesRoute"/>).
/// </summary>
internal sealed class BridgeBody : Stream, IHttpResponseBodyFeature
{
    private readonly HttpResponse _response;
    private readonly IHttpResponseBodyFeature _client;
    private readonly ProxyEndpointKind _api;
    private readonly IStreamBridge? _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private PipeWriter? _writer;

    private BridgeBody(HttpContext context, IHttpResponseBodyFeature client, ProxyEndpointKind api, string? streamModel)
    {
        _response = context.Response;
        _client = client;
        _api = api;
        _stream = streamModel is null ? null : StreamBridges.For(api, streamModel);
    }

    /// <summary>Runs <paramref name="relay"/> with this body in place, then completes the Anthropic answer; the client's body is back in place afterwards.</summary>
    /// <param name="api">The inbound API the client speaks.</param>
    /// <param name="model">The upstream's model name, named in the stream's first event as a plain answer names it.</param>
    public static async Task<TokenUsage?> RelayAsync(HttpContext context, ProxyEndpointKind api, bool stream, string model, Func<Task<TokenUsage?>> relay, CancellationToken cancellationToken)
    {
        var client = context.Features.Get<IHttpResponseBodyFeature>()!;
        await using var bridge = new BridgeBody(context, client, api, stream ? model : null);
        context.Features.Set<IHttpResponseBodyFeature>(bridge);
        try
        {
            var usage = await relay();
            await bridge.FinishAsync(cancellationToken);
            return usage;
        }
        finally
        {
            context.Features.Set(client);
        }
    }

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void DisableBuffering() => _client.DisableBuffering();

    // A plain answer's headers wait for its translated length; a stream's go at once, as the chat path asked.
    public Task StartAsync(CancellationToken cancellationToken = default) => _stream is null ? Task.CompletedTask : _client.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CompleteAsync() => FinishAsync(CancellationToken.None);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_stream is null)
        {
            _buffer.Write(buffer);
        }
        else
        {
            _stream.Feed(buffer, _buffer);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        if (_stream is not null)
        {
            await PassOnAsync(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_stream is not null)
        {
            await PassOnAsync(cancellationToken);
            await _client.Stream.FlushAsync(cancellationToken);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync(cancellationToken); // what the chat path left in the pipe
        }

        if (_stream is not null)
        {
            _stream.Complete(_buffer);
            await PassOnAsync(cancellationToken);
            await _client.Stream.FlushAsync(cancellationToken);
            return;
        }

        byte[] answer;
        try
        {
            answer = _api == ProxyEndpointKind.Responses
                ? ResponsesAnswerTranslator.FromChatCompletion(_buffer.WrittenSpan)
                : MessagesAnswerTranslator.FromChatCompletion(_buffer.WrittenSpan);
        }
        catch (JsonException exception)
        {
            throw new IOException("the upstream answered with a body that is not a chat completion.", exception);
        }

        _buffer.Clear();
        _response.ContentLength = answer.Length;
        await _client.Stream.WriteAsync(answer, cancellationToken);
    }

    private async ValueTask PassOnAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount > 0)
        {
            await _client.Stream.WriteAsync(_buffer.WrittenMemory, cancellationToken);
            _buffer.ResetWrittenCount();
        }
    }
}
