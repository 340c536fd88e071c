using System.Diagnostics;
using System.Runtime.InteropServices;
using LlmGate.Testing;

namespace LlmGate.EndToEnd;

/// <summary>The real <c>llmgate</c> executable in its own process, on 127.0.0.1, so a test can kill it as a crash would.</summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri baseAddress, ProcessOutput output, ProcessOutput error)
    {
        _process = process;
        BaseAddress = baseAddress;
        StandardOutput = output;
        StandardError = error;
    }

    public Uri BaseAddress { get; }

    /// <summary>The gateway's process id, e.g. to read its /proc/&lt;pid&gt;/status.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The lines the gateway wrote to stdout.</summary>
    public ProcessOutput StandardOutput { get; }

    /// <summary>The lines the gateway wrote to stderr.</summary>
    public ProcessOutput StandardError { get; }

    /// <param name="configPath">As given on the command line: a relative one is relative to <paramref name="workingDirectory"/>.</param>
    /// <param name="dataDirectory">null leaves <c>--data-dir</c> out (its default, <c>data</c>).</param>
    /// <param name="environment">Variables set for the process.</param>
    /// <param name="workingDirectory">Where the process starts; null for this process's current directory.</param>
    /// <param name="launcher">A command that runs the gateway's command line in its own place (<c>nohup</c>); null runs it directly.</param>
    public static async Task<GatewayProcess> StartAsync(
        string configPath,
        string? dataDirectory,
        IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null,
        IReadOnlyList<string>? arguments = null,
        string? launcher = null)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(launcher ?? "dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "llmgate.dll"), "--config", configPath, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        if (launcher is not null)
        {
            start.ArgumentList.Insert(0, "dotnet");
        }

        if (dataDirectory is not null)
        {
            start.ArgumentList.Add("--data-dir");
            start.ArgumentList.Add(dataDirectory);
        }

        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start llmgate");
        ProcessOutput output = new(), error = new();
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) output.Add(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) error.Add(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"), output, error);
        try
        {
            await gateway.WaitUntilLiveAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await gateway.DisposeAsync(); // never leave a gateway running after a failed start
            throw;
        }

        return gateway;
    }

    /// <summary>
    /// The first stdout line containing <paramref name="text"/>; when none comes within <paramref name="timeout"/>, fails
    /// with what the process did write (both streams' last lines), so a failure in CI says why.
    /// </summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        try
        {
            return await StandardOutput.WaitForAsync(line => line.Contains(text, StringComparison.Ordinal), timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"no line with \"{text}\" on stdout within {timeout.TotalSeconds} s (process {(_process.HasExited ? $"exited with {_process.ExitCode}" : "running")});"
                + $"\nstdout:\n{Tail(StandardOutput)}\nstderr:\n{Tail(StandardError)}\nsignals (bit 0 SIGHUP):\n{SignalMasks()}");
        }
    }

    // The kernel's view of the process's signals (pending, blocked, ignored, caught): a signal that "did nothing" shows why.
    private string SignalMasks()
    {
        try
        {
            return string.Join('\n', File.ReadLines($"/proc/{_process.Id}/status").Where(l => l.StartsWith("Sig", StringComparison.Ordinal) || l.StartsWith("ShdPnd", StringComparison.Ordinal)));
        }
        catch (IOException)
        {
            return "(the process has gone)";
        }
    }

    /// <summary>Sends a POSIX signal (15 SIGTERM, 2 SIGINT), as Kubernetes or Ctrl+C would.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The exit code, once the process has ended by itself within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static string Tail(ProcessOutput output) => string.Join('\n', output.Lines.TakeLast(60));

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private async Task WaitUntilLiveAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"llmgate exited with {_process.ExitCode} before it was live");
            }

            try
            {
                using var response = await http.GetAsync("/health/liveness", deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // Listening, but the first answer is slow (start-up on a busy machine): ask again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }
}
