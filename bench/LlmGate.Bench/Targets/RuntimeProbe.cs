using System.Net.Sockets;
using System.Text.Json;
using LlmGate.Bench.Reporting;

namespace LlmGate.Bench.Targets;

/// <summary>
/// The harness's side of <c>bench/LlmGate.Bench.Probe</c>: the environment that loads it into a .NET target as a startup
/// hook listening on a Unix domain socket, and one sample read from that socket. A target the hook did not load into
/// (no .NET, hooks disabled, an AOT binary) simply has no samples: its columns stay blank.
/// </summary>
internal sealed class RuntimeProbe
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(2);

    private static int _starts;

    private RuntimeProbe(string socketPath)
    {
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    /// <summary>The hook's dll, copied beside the harness's own by the project reference; null if it is missing.</summary>
    public static string? HookDll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "LlmGate.Bench.Probe.dll");
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>A probe for one process start, its socket in <paramref name="directory"/> (Unix socket paths are short: keep it under /tmp).</summary>
    public static RuntimeProbe For(string directory) =>
        new(Path.Combine(directory, $"probe-{Interlocked.Increment(ref _starts)}.sock"));

    /// <summary>Adds what loads the hook into a child process to <paramref name="environment"/>.</summary>
    /// <param name="collecting">Also serve samples taken right after a full compacting collection (<see cref="TrySample"/> with <c>collect</c>).</param>
    public void AddTo(IDictionary<string, string> environment, bool collecting = false)
    {
        if (HookDll is { } dll)
        {
            environment["DOTNET_STARTUP_HOOKS"] = dll;
            environment["LLMGATE_BENCH_PROBE"] = SocketPath;
            if (collecting)
            {
                environment["LLMGATE_BENCH_PROBE_GC"] = "1";
            }
        }
    }

    /// <summary>One sample, or null when the probe does not answer (not loaded, or the process is gone).</summary>
    /// <param name="collect">
    /// First a full blocking, compacting collection in the target, so the heap size is its live objects only (a leak's
    /// measure, not the garbage of the last seconds); needs <see cref="AddTo"/> with <c>collecting</c>.
    /// </param>
    public RuntimeSample? TrySample(bool collect = false)
    {
        var path = collect ? SocketPath + ".gc" : SocketPath;
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.ReceiveTimeout = (int)SampleTimeout.TotalMilliseconds;
            socket.SendTimeout = (int)SampleTimeout.TotalMilliseconds;
            socket.Connect(new UnixDomainSocketEndPoint(path));
            var buffer = new byte[1024];
            var length = 0;
            int read;
            while ((read = socket.Receive(buffer.AsSpan(length))) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    return null;
                }
            }

            return JsonSerializer.Deserialize<RuntimeSample>(buffer.AsSpan(0, length), JsonReport.Options);
        }
        catch (Exception exception) when (exception is SocketException or JsonException or IOException)
        {
            return null;
        }
    }
}
