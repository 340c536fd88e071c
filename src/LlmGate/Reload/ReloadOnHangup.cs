using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace LlmGate.Reload;

/// <summary>
/// SIGHUP reloads the config, as it does for nginx, Envoy's hot restarter and Alertmanager. Without this handler the
/// signal's default action would end the process. Only the served gateway listens (not tests' in-process ones).
/// </summary>
internal sealed class ReloadOnHangup(ConfigReloader reloader) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            _ = Task.Run(() => reloader.Reload("sighup"), CancellationToken.None); // off the signal thread; the result is logged
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();
}
