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

    public HangupSignal()
    {
        UnignoreInherited();
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
    }

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

    // A signal ignored when the process starts stays ignored under .NET: it installs no handler for it, so the
    // registration would never fire. Started under nohup (or by a supervisor that ignores SIGHUP), the gateway would
    // then take no reload signal and say nothing. SIGHUP is its reload signal, so an inherited "ignore" is put back to
    // the default just before the registration replaces it (a SIGHUP in that instant would end the process).
    private static void UnignoreInherited()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Asked first, not set and put back: signal() would put back a SA_SIGINFO handler without its flag.
        var action = Marshal.AllocHGlobal(NativeMethods.SigactionBytes);
        try
        {
            if (NativeMethods.sigaction(NativeMethods.SIGHUP, 0, action) == 0 && Marshal.ReadIntPtr(action) == NativeMethods.SIG_IGN)
            {
                NativeMethods.signal(NativeMethods.SIGHUP, NativeMethods.SIG_DFL);
            }
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // No C library to ask (an unusual platform): SIGHUP keeps the disposition it came with.
        }
        finally
        {
            Marshal.FreeHGlobal(action);
        }
    }

    private static class NativeMethods
    {
        public const int SIGHUP = 1; // on Linux and macOS alike
        public const int SigactionBytes = 256; // struct sigaction is 152 bytes on 64-bit glibc and smaller elsewhere
        public static readonly nint SIG_DFL = 0;
        public static readonly nint SIG_IGN = 1;

        // struct sigaction starts with its handler (sa_handler / sa_sigaction) on glibc, musl and macOS: only that is read.
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sigaction(int signum, nint action, nint oldAction);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nint signal(int signum, nint handler);
    }
}
