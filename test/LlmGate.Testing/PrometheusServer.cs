using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// A real Prometheus (the Debian <c>prometheus</c> package; CI installs it) of a test's own on 127.0.0.1, scraping one
/// target every second with a bearer token, its data in a temporary directory removed at the end.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static string? Executable { get; } = ExecutableOnPath.Find("prometheus");

    /// <summary>The promtool next to it, which lints an exposition (<c>promtool check metrics</c>).</summary>
    public static string? Promtool { get; } = ExecutableOnPath.Find("promtool");

    /// <summary>Why a test needing Prometheus cannot run here; null when it can.</summary>
    public static string? SkipReason =>
        Executable is null || Promtool is null ? "prometheus and promtool are not installed (apt-get install prometheus; .ci/run does)" : null;

    public static async Task<PrometheusServer> StartAsync(Uri target, string metricsPath, string bearerToken)
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: llmgate
                metrics_path: {metricsPath}
                authorization:
                  credentials: {bearerToken}
                static_configs:
                  - targets: ["{target.Authority}"]
            """);
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("prometheus is not on PATH"))
        {
            ArgumentList =
            {
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, port);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await server.IsReadyAsync())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {process.ExitCode}");
            }

            // Prometheus offers no notice of readiness but its endpoint: poll it, bounded by the deadline.
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }

        return server;
    }

    /// <summary>
    /// Runs an instant query until its first result's value satisfies <paramref name="accept"/> (the next scrape may
    /// not have happened yet), bounded by <paramref name="patience"/>; returns the last result set.
    /// </summary>
    public async Task<JsonArray> QueryUntilAsync(string promql, Func<JsonArray, bool> accept, TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        while (true)
        {
            var body = JsonNode.Parse(await _http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql), deadline.Token))!;
            var result = body["data"]!["result"]!.AsArray();
            if (accept(result) || deadline.IsCancellationRequested)
            {
                return result;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }
    }

    /// <summary>The scrape target's health as Prometheus sees it (<c>up</c>, <c>down</c> or <c>unknown</c>) and its last error.</summary>
    public async Task<(string Health, string LastError)> TargetAsync()
    {
        var body = JsonNode.Parse(await _http.GetStringAsync("api/v1/targets"))!;
        var target = body["data"]!["activeTargets"]!.AsArray().Single()!;
        return (target["health"]!.GetValue<string>(), target["lastError"]!.GetValue<string>());
    }

    /// <summary>Runs <c>promtool check metrics</c> on an exposition; returns its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var start = new ProcessStartInfo(Promtool ?? throw new InvalidOperationException("promtool is not on PATH"))
        {
            ArgumentList = { "check", "metrics" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start promtool");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await _http.GetAsync("-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
