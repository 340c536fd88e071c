using LlmGate.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Bench.Runner;

/// <summary>
/// Where <c>llmgate-observed</c> exports its traces and metrics (OTLP/HTTP): accepts every export and counts it, so
/// the run pays for real exports and the report can show they happened.
/// </summary>
internal sealed class TelemetrySink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _exports;

    private TelemetrySink(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    public Uri Root { get; }

    public int Exports => Volatile.Read(ref _exports);

    public static async Task<TelemetrySink> StartAsync()
    {
        TelemetrySink? sink = null;
        var (app, root) = await LoopbackServer.StartAsync(app => app.MapPost("/{**path}", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref sink!._exports);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }));
        sink = new TelemetrySink(app, root);
        return sink;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
