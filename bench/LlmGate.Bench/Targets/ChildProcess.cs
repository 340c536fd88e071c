using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LlmGate.Testing;

namespace LlmGate.Bench.Targets;

/// <summary>
/// A .NET program the harness starts (<c>dotnet some.dll ...</c>, or a published executable run as it is), optionally pinned to cores with <c>taskset</c>
/// (which execs, so the PID is the program's own), with its output kept for error messages, and killed on dispose.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> right before the process was started: where its start-up time begins.</summary>
    public long StartedTimestamp { get; private set; }

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string program, IEnumerable<string> arguments, string? cores, IReadOnlyDictionary<string, string>? environment = null)
    {
        var viaDotnet = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(cores is not null ? "taskset" : viaDotnet ? "dotnet" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cores is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cores);
            start.ArgumentList.Add(viaDotnet ? "dotnet" : program);
        }

        if (viaDotnet)
        {
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove(ChildProcessEnvironment.InlineSocketCompletions);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        child.StartedTimestamp = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the program accepts TCP connections on <paramref name="port"/>; throws with its output if it exits or takes too long.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before listening on port {port}:\n{Output()}");
            }

            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                return;
            }
            catch (SocketException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                throw new TimeoutException($"{Name} did not listen on port {port} within {timeout.TotalSeconds} s:\n{Output()}");
            }
        }
    }

    public string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>A free port for a child to listen on (see <see cref="LoopbackPorts.Free"/>).</summary>
    public static int FreePort() => LoopbackPorts.Free();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}
