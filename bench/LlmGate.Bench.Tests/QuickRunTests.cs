using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace LlmGate.Bench.Tests;

/// <summary>
/// The CI smoke run of the load harness (<c>bench/run.sh --quick</c>): every target starts, every point completes
/// requests without an error, and the report has the fields the README describes. Timing is never asserted.
/// </summary>
public sealed class QuickRunTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task QuickRun_AllTargets_CompleteEveryPointWithoutErrors()
    {
        var root = RepositoryRoot();
        var configuration = typeof(QuickRunTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var benchDll = Path.Combine(root, "bench", "LlmGate.Bench", "bin", configuration, "net10.0", "LlmGate.Bench.dll");
        var gatewayDll = Path.Combine(root, "src", "LlmGate", "bin", configuration, "net10.0", "llmgate.dll");
        var output = Path.Combine(Path.GetTempPath(), $"llmgate-bench-{Guid.NewGuid():N}", "latest.json");
        try
        {
            var (exitCode, log) = await RunAsync("dotnet", [benchDll, "--quick", "--output", output, "--gateway", gatewayDll]);
            Assert.True(exitCode == 0, $"The quick run exited with {exitCode}:\n{log}");

            using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(output));
            var points = report.RootElement.GetProperty("points").EnumerateArray().ToArray();
            Assert.Equal(6 * 2 * 2, points.Length); // direct, yarp, llmgate, llmgate-pd, llmgate-keys, llmgate-group × chat, stream × c=1, 64
            foreach (var point in points)
            {
                var name = $"{point.GetProperty("target").GetString()} {point.GetProperty("scenario").GetString()} c={point.GetProperty("concurrency").GetInt32()}";
                Assert.True(point.GetProperty("requests").GetInt64() > 0, name + ": no request completed");
                Assert.True(point.GetProperty("errors").GetInt64() == 0, name + ": errors " + point.GetProperty("error_kinds"));
                Assert.True(point.GetProperty("peak_rss_mib").GetDouble() > 0, name + ": no peak RSS");
                Assert.True(point.GetProperty("latency_ms").GetProperty("p99").GetDouble() > 0, name + ": no latency");
                if (point.GetProperty("scenario").GetString() == "stream")
                {
                    Assert.True(point.GetProperty("first_chunk_ms").GetProperty("p50").GetDouble() > 0, name + ": no time to first chunk");
                }

                if (point.GetProperty("target").GetString() != "direct")
                {
                    Assert.True(point.TryGetProperty("added_p50_ms", out _), name + ": no comparison with the direct target");
                }
            }

            Assert.Equal(0, report.RootElement.GetProperty("pager_duty_events").GetInt32());
        }
        finally
        {
            if (Directory.Exists(Path.GetDirectoryName(output)))
            {
                Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
            }
        }
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
        using var limit = new CancellationTokenSource(RunLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append(log, $"(killed after {RunLimit.TotalMinutes} minutes)");
        }

        lock (log)
        {
            return (process.ExitCode, log.ToString());
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
