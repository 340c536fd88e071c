using System.Runtime.InteropServices;

namespace LlmGate.Bench.Targets;

/// <summary>
/// RLIMIT_NOFILE of this process, which the processes it starts inherit: the idle-streams scenario holds N sockets in
/// the harness, N in the fake upstream and 2N in the target. Raising the hard limit needs root (or CAP_SYS_RESOURCE);
/// otherwise the soft limit goes up to the hard one. The .NET runtime itself raises its soft limit to the hard one.
/// </summary>
internal static partial class FileDescriptorLimit
{
    private const int RlimitNofile = 7;

    public static (long Soft, long Hard) Current()
    {
        var limit = default(RLimit);
        return GetRLimit(RlimitNofile, ref limit) == 0 ? ((long)limit.Current, (long)limit.Maximum) : (-1, -1);
    }

    /// <summary>Raises the limit to at least <paramref name="wanted"/> where allowed; returns the soft limit now in force.</summary>
    public static long TryRaise(long wanted)
    {
        var (soft, hard) = Current();
        if (soft < 0 || soft >= wanted)
        {
            return soft;
        }

        var limit = new RLimit { Current = (ulong)wanted, Maximum = (ulong)Math.Max(wanted, hard) };
        if (SetRLimit(RlimitNofile, ref limit) != 0 && hard > soft)
        {
            limit = new RLimit { Current = (ulong)hard, Maximum = (ulong)hard };
            _ = SetRLimit(RlimitNofile, ref limit);
        }

        return Current().Soft;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRLimit(int resource, ref RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static partial int SetRLimit(int resource, ref RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
