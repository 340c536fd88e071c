using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LlmGate.Bench.Load;

namespace LlmGate.Bench.Runner;

/// <summary>
/// The headline point (chat, 64 connections) measured again by <c>wrk</c>, with the same body and headers as the
/// harness's own requests (a Lua script), so the headline number does not rest on the harness's load generator alone.
/// </summary>
internal static partial class WrkCrossCheck
{
    /// <summary>wrk on PATH, or null.</summary>
    public static string? Executable { get; } = Find();

    public static async Task<WrkResult> RunAsync(int port, string apiKey, int connections, TimeSpan duration, string directory)
    {
        var script = Path.Combine(directory, "wrk-chat.lua");
        await File.WriteAllTextAsync(script, Script(apiKey));
        var start = new ProcessStartInfo(Executable ?? "wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-t1", $"-c{connections}", $"-d{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s", "--timeout", "10s", "-s", script, $"http://127.0.0.1:{port}/v1/chat/completions" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove(Targets.ChildProcessEnvironment.InlineSocketCompletions);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(duration + TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException("wrk did not finish in time");
        }

        return Parse(await output + await error);
    }

    internal static WrkResult Parse(string output)
    {
        var rate = RequestsPerSecond().Match(output);
        var non2xx = Non2xx().Match(output);
        var socketErrors = SocketErrors().Match(output);
        return new WrkResult(
            rate.Success ? Math.Round(double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), 1) : 0,
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            socketErrors.Success ? socketErrors.Groups[1].Value.Trim() : null);
    }

    // The exact request LoadRequest.ChatCompletion sends (wrk adds Host and Content-Length itself).
    internal static string Script(string apiKey)
    {
        var script = new StringBuilder();
        script.AppendLine("wrk.method = \"POST\"");
        script.AppendLine(CultureInfo.InvariantCulture, $"wrk.body = [==[{LoadRequest.ChatBody(stream: false)}]==]");
        script.AppendLine("wrk.headers[\"Content-Type\"] = \"application/json\"");
        script.AppendLine("wrk.headers[\"Accept\"] = \"application/json\"");
        script.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"Authorization\"] = \"Bearer {apiKey}\"");
        script.AppendLine("wrk.headers[\"User-Agent\"] = \"llmgate-bench\"");
        return script.ToString();
    }

    private static string? Find()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, "wrk");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors:([^\n]*)")]
    private static partial Regex SocketErrors();
}
