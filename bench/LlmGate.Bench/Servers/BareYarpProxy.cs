using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Bench.Servers;

/// <summary>
/// The generic .NET proxy the gateway is measured against: YARP's direct forwarder sending every request, as it is,
/// to one upstream. No routing by model, no auth, no body inspection.
/// </summary>
internal static class BareYarpProxy
{
    public static WebApplication Build(int port, Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(System.Net.IPAddress.Loopback, port);
        });
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        app.MapForwarder("/{**catch-all}", upstream.ToString());
        return app;
    }
}
