using LlmGate.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Ui.Live;

/// <summary><c>GET /ui/api/state</c> (the current snapshot) and <c>GET /ui/api/events</c> (each new one, as server-sent events).</summary>
internal static class UiLiveEndpoints
{
    public static IEndpointRouteBuilder MapUiLive(this IEndpointRouteBuilder endpoints)
    {
        var snapshots = endpoints.ServiceProvider.GetRequiredService<UiSnapshots>();
        endpoints.MapGet("/ui/api/state", PlainHandlers.Writing(context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(snapshots.Current.Json, "application/json");
        })).RequireUiSession();
        endpoints.MapGet("/ui/api/events", StreamAsync).RequireUiSession();
        return endpoints;
    }

    private static async Task StreamAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var snapshots = services.GetRequiredService<UiSnapshots>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        if (!snapshots.TryAddViewer())
        {
            UiLog.TooManyViewers(loggers.CreateLogger("LlmGate.Ui"), UiSnapshots.MaxViewers);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "10";
            return;
        }

        // Ends with the viewer, or with the gateway's shutdown (an open stream must not hold it up).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            await context.Response.Body.WriteAsync("retry: 2000\n\n"u8.ToArray(), stop.Token);
            var sent = 0L;
            while (!stop.IsCancellationRequested)
            {
                var frame = snapshots.Current;
                if (frame.Snapshot.Sequence > sent)
                {
                    await context.Response.Body.WriteAsync(frame.Event, stop.Token);
                    await context.Response.Body.FlushAsync(stop.Token);
                    sent = frame.Snapshot.Sequence;
                }

                await snapshots.WaitForNewerAsync(sent, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The viewer left, or the gateway is stopping.
        }
        finally
        {
            snapshots.RemoveViewer();
        }
    }
}
