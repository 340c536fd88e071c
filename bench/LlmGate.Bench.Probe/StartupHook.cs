using System.Globalization;
using System.Net.Sockets;

/// <summary>
/// Loaded by the runtime before the target's Main when <c>DOTNET_STARTUP_HOOKS</c> names this assembly. When
/// <c>LLMGATE_BENCH_PROBE</c> names a socket path, one background thread listens there and answers each connection
/// with one line of JSON, then closes it. Between samples that thread sits blocked in accept(): no timer, no CPU, no
/// allocation in the target. The thread is counted in the target's threads, the same for every target.
/// With <c>LLMGATE_BENCH_PROBE_GC=1</c> (the soak) it also listens on the path + <c>.gc</c>, whose connections get a
/// full blocking, compacting collection before the sample: the heap then holds only live objects, what a leak grows.
/// </summary>
internal static class StartupHook
{
    public const string SocketVariable = "LLMGATE_BENCH_PROBE";

    public const string CollectVariable = "LLMGATE_BENCH_PROBE_GC";

    public const string CollectSuffix = ".gc";

    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable(SocketVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var collect = Environment.GetEnvironmentVariable(CollectVariable) == "1";

        // The target must not see the variable's children: it is the harness's, for this process only.
        Environment.SetEnvironmentVariable(SocketVariable, null);
        Environment.SetEnvironmentVariable(CollectVariable, null);
        Environment.SetEnvironmentVariable("DOTNET_STARTUP_HOOKS", null);
        var listener = Listen(path);
        var collector = collect ? Listen(path + CollectSuffix) : null;
        new Thread(() => Serve(listener, collector)) { IsBackground = true, Name = "bench probe" }.Start();
    }

    private static Socket Listen(string path)
    {
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(8);
        return listener;
    }

    // One thread for both sockets: blocked in select() (or accept() with one socket) between samples.
    private static void Serve(Socket listener, Socket? collector)
    {
        var ready = new List<Socket>(2);
        while (true)
        {
            var collect = false;
            if (collector is not null)
            {
                ready.Clear();
                ready.Add(listener);
                ready.Add(collector);
                Socket.Select(ready, null, null, -1);
                collect = ready.Contains(collector);
            }

            using var connection = (collect ? collector! : listener).Accept();
            try
            {
                if (collect)
                {
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                }

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
        var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"allocated_bytes\":{allocated},\"heap_size_bytes\":{info.HeapSizeBytes},\"gc_committed_bytes\":{info.TotalCommittedBytes},\"total_memory_bytes\":{totalMemory},\"gen0\":{gen0},\"gen1\":{gen1},\"gen2\":{gen2},\"thread_pool_threads\":{poolThreads},\"threads\":{threads},\"open_fds\":{fds},\"jit_methods\":{jitMethods}}}\n");
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
