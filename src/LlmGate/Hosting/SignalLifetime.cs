using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Hosting;

/// <summary>
/// Takes the place of the console lifetime for the served gateway: the first SIGTERM, SIGINT or SIGQUIT starts the
/// graceful stop (readiness 503, no new connections, requests in flight finish up to <c>--shutdown-timeout</c>, exit
/// code 0; undelivered alerts stay in the durable outbox); a second one ends the process at once, as an operator
/// pressing Ctrl+C twice expects.
/// </summary>
internal sealed class SignalLifetime(IHostApplicationLifetime lifetime, ILogger<SignalLifetime> logger) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in (PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT])
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) == 1)
        {
            context.Cancel = true;
            GatewayLog.Stopping(logger, context.Signal.ToString());
            lifetime.StopApplication();
            return;
        }

        // The second signal: the default action (the process ends now, with the signal's exit status).
        GatewayLog.StoppingNow(logger, context.Signal.ToString());
        context.Cancel = false;
    }
}
