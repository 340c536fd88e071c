using System.Globalization;
using System.Net.Sockets;

/// <summary>
/// Loaded by the runtime before the target's Main when <c>DOTNET_STARTUP_HOOKS</c> names this assembly. When
/// <c>LLMGATE_BENCH_PROBE</c> names a socket path, one background thread listens there and answers each connection
/// with one line of JSON, then closes it. Between samples that thread sits blocked in accept(): no timer, no CPU, no
/// allocation in the target. The thread is counted in the target's threads, the same for every target.
/// </summary>
internal static class StartupHook
{
    public const string SocketVariable = "LLMGATE_BENCH_PROBE";

    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable(SocketVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        // The target must not see the variable's children: it is the harness's, for this process only.
        Environment.SetEnvironmentVariable(SocketVariable, null);
        Environment.SetEnvironmentVariable("DOTNET_STARTUP_HOOKS", null);
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(8);
        new Thread(() => Serve(listener)) { IsBackground = true, Name = "bench probe" }.Start();
    }

    private static void Serve(Socket listener)
    {
        while (true)
        {
            using var connection = listener.Accept();
            try
            {
                connection.Send(System.Text.Encoding.ASCII.GetBytes(Sample()));
                connection.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The harness went away mid-answer; wait for the next one.
            }
        }
    }

    // Read first, then formatted: the sample's own allocations land after the figures it reports.
    private static string Sample()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var info = GC.GetGCMemoryInfo();
        var totalMemory = GC.GetTotalMemory(forceFullCollection: false);
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var poolThreads = ThreadPool.ThreadCount;
        var threads = StatusThreads();
        var fds = Directory.GetFileSystemEntries("/proc/self/fd").Length - 1; // minus the directory being read
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"allocated_bytes\":{allocated},\"heap_size_bytes\":{info.HeapSizeBytes},\"total_memory_bytes\":{totalMemory},\"gen0\":{gen0},\"gen1\":{gen1},\"gen2\":{gen2},\"thread_pool_threads\":{poolThreads},\"threads\":{threads},\"open_fds\":{fds}}}\n");
    }

    private static int StatusThreads()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return int.Parse(line.AsSpan("Threads:".Length).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
