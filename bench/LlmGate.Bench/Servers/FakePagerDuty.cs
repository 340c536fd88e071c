using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Bench.Servers;

/// <summary>
/// PagerDuty's Events API v2 as the gateway sees it: every POST gets 202 and PagerDuty's success body. It counts what
/// it received, so the report can show that no alert fired during the run.
/// </summary>
internal sealed class FakePagerDuty : IAsyncDisposable
{
    private static readonly byte[] Accepted = """{"status":"success","message":"Event processed","dedup_key":"x"}"""u8.ToArray();
    private readonly WebApplication _app;
    private int _events;

    private FakePagerDuty(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The URL to give the gateway as <c>PAGERDUTY_EVENTS_URL</c>.</summary>
    public Uri EventsUrl { get; private set; } = null!;

    public int Events => Volatile.Read(ref _events);

    public static async Task<FakePagerDuty> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakePagerDuty(app);
        app.Run(async context =>
        {
            if (HttpMethods.IsPost(context.Request.Method))
            {
                Interlocked.Increment(ref fake._events);
            }

            context.Response.StatusCode = StatusCodes.Status202Accepted;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Accepted, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.EventsUrl = new Uri(address.TrimEnd('/') + "/v2/enqueue");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
