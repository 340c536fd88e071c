using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace LlmGate.Reload;

/// <summary>
/// SIGHUP, caught from the first moment the served gateway runs (before its config is read or its host built): the
/// signal's default action would end the process, so a reload asked for during start-up (a ConfigMap sidecar firing as
/// the pod starts) must not kill it. Each signal becomes a request that <see cref="ReloadOnHangup"/> carries out once
/// the gateway runs; requests that come while one waits fold into it (one reload reads the newest file anyway).
/// </summary>
internal sealed class HangupSignal : IDisposable
{
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly PosixSignalRegistration _registration;

    public HangupSignal() => _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

    /// <summary>A value for every reload asked for and not yet taken.</summary>
    public ChannelReader<bool> Requests => _requests.Reader;

    /// <summary>What the signal handler does (and tests call): ask for a reload.</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    public void Dispose() => _registration.Dispose();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Request();
    }
}
