using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Reload;

/// <summary>
/// SIGHUP reloads the config, as it does for nginx, Envoy's hot restarter and Alertmanager: the reloads the
/// <see cref="HangupSignal"/> asked for, one at a time, off the signal's thread. Only the served gateway listens (not
/// tests' in-process ones). A reload that throws is logged and the next signal tries again.
/// </summary>
internal sealed class ReloadOnHangup(HangupSignal signal, ConfigReloader reloader, ILogger<ReloadOnHangup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in signal.Requests.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    reloader.Reload("sighup"); // logs its outcome
                }
#pragma warning disable CA1031 // a reload that fails must not end the gateway's handling of the next signal
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    ReloadLog.Failed(logger, exception, "sighup");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped: also when the start failed (a port in use), where the host would log it as a crash.
        }
    }
}
