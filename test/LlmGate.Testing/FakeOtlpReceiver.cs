using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// An OTLP/HTTP receiver on 127.0.0.1, as a collector (or Langfuse) is one: takes <c>POST …/v1/traces</c> and
/// <c>…/v1/metrics</c> under any prefix (<c>/api/public/otel/v1/traces</c> too), protobuf bodies only, and keeps
/// each export's path, headers and decoded spans and data points. Tests wait for what they expect with a bounded
/// timeout (<see cref="WaitForAsync"/>): the exporter's <c>ForceFlush</c> was once seen to return before its POST arrived.
/// </summary>
public sealed class FakeOtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeOtlpExport> _exports = new();
    private readonly List<(Func<FakeOtlpExport, bool> Match, TaskCompletionSource<FakeOtlpExport> Signal)> _waiters = [];
    private WebApplication _app = null!;

    private FakeOtlpReceiver()
    {
    }

    /// <summary>The receiver's root, without a trailing '/': an OTLP base endpoint (the exporter adds <c>/v1/traces</c>).</summary>
    public Uri Root { get; private set; } = null!;

    public IReadOnlyCollection<FakeOtlpExport> Exports => _exports;

    public IEnumerable<FakeOtlpSpan> Spans => _exports.SelectMany(e => e.Spans);

    public IEnumerable<FakeOtlpDataPoint> Points => _exports.SelectMany(e => e.Points);

    public static async Task<FakeOtlpReceiver> StartAsync()
    {
        var receiver = new FakeOtlpReceiver();
        (receiver._app, receiver.Root) = await LoopbackServer.StartAsync(app => app.MapPost("/{**path}", receiver.HandleAsync));
        return receiver;
    }

    /// <summary>Completes with the first export (received before or after the call) that matches.</summary>
    public Task<FakeOtlpExport> WaitForAsync(Func<FakeOtlpExport, bool> match)
    {
        lock (_waiters)
        {
            if (_exports.FirstOrDefault(match) is { } done)
            {
                return Task.FromResult(done);
            }

            var signal = new TaskCompletionSource<FakeOtlpExport>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, signal));
            return signal.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var traces = path.EndsWith("/v1/traces", StringComparison.Ordinal);
        if (!traces && !path.EndsWith("/v1/metrics", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!string.Equals(context.Request.ContentType, "application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var export = traces
            ? new FakeOtlpExport(path, headers, FakeOtlpDecoder.Traces(body), [])
            : new FakeOtlpExport(path, headers, [], FakeOtlpDecoder.Metrics(body));
        lock (_waiters)
        {
            _exports.Enqueue(export);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(export))
                {
                    _waiters[i].Signal.TrySetResult(export);
                    _waiters.RemoveAt(i);
                }
            }
        }

        // An empty Export*ServiceResponse: everything accepted.
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
