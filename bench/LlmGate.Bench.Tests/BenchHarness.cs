using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace LlmGate.Bench.Tests;

/// <summary>Where the built harness and gateway are, and how a test runs the harness as its own process, bounded in time.</summary>
internal static class BenchHarness
{
    private static readonly string Configuration =
        typeof(BenchHarness).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static string BenchDll => Path.Combine(RepositoryRoot(), "bench", "LlmGate.Bench", "bin", Configuration, "net10.0", "LlmGate.Bench.dll");

    public static string ProbeDll => Path.Combine(Path.GetDirectoryName(BenchDll)!, "LlmGate.Bench.Probe.dll");

    public static string GatewayProgram => Path.Combine(RepositoryRoot(), "src", "LlmGate", "bin", Configuration, "net10.0", "llmgate.dll");

    /// <summary>Runs <c>dotnet LlmGate.Bench.dll arguments</c> to its end (killed after <paramref name="limit"/>): its exit code and output.</summary>
    public static async Task<(int ExitCode, string Log)> RunAsync(IEnumerable<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BenchDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append(log, $"(killed after {limit.TotalSeconds} s)");
        }

        lock (log)
        {
            return (process.ExitCode, log.ToString());
        }
    }

    /// <summary>A directory of its own under /tmp for one test's report (Unix socket paths must stay short).</summary>
    public static string TempDirectory() => Directory.CreateTempSubdirectory("llmgate-bench-test-").FullName;

    /// <summary>
    /// Runs the harness with <c>--output</c> in a directory of its own, asserts that it exited 0 (its log in the message),
    /// and returns the JSON report it wrote with its log; the directory is removed either way.
    /// </summary>
    public static async Task<(JsonDocument Report, string Log)> RunForReportAsync(IEnumerable<string> arguments, TimeSpan limit)
    {
        var directory = TempDirectory();
        try
        {
            var output = Path.Combine(directory, "report.json");
            var (exitCode, log) = await RunAsync([.. arguments, "--output", output], limit);
            Assert.True(exitCode == 0, $"The run exited with {exitCode}:\n{log}");
            return (JsonDocument.Parse(await File.ReadAllBytesAsync(output)), log);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmGate.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("LlmGate.slnx not found above " + AppContext.BaseDirectory);
    }
}
