using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LlmGate.Bench.Tests;

/// <summary>
/// The startup-hook probe (<c>bench/LlmGate.Bench.Probe</c>) loaded into a real target, the fake upstream, as the
/// harness loads it: it answers on its Unix socket, and its allocation count grows with the requests the target serves.
/// </summary>
public sealed class RuntimeProbeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Probe_LoadedIntoTarget_ReportsAllocationsGrowingWithRequests()
    {
        var directory = BenchHarness.TempDirectory();
        var socketPath = Path.Combine(directory, "probe.sock");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { BenchHarness.BenchDll, "serve-upstream", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_STARTUP_HOOKS"] = BenchHarness.ProbeDll;
        start.Environment["LLMGATE_BENCH_PROBE"] = socketPath;
        using var target = Process.Start(start)!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            await WaitUntilServingAsync(client, target);
            using var before = await SampleAsync(socketPath);

            for (var i = 0; i < 200; i++)
            {
                using var response = await client.PostAsync("v1/chat/completions", new StringContent("{\"model\":\"m\",\"stream\":false}", Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
            }

            using var after = await SampleAsync(socketPath);
            long Allocated(JsonDocument sample) => sample.RootElement.GetProperty("allocated_bytes").GetInt64();
            Assert.True(Allocated(before) > 0, "no allocated bytes before");
            Assert.True(Allocated(after) > Allocated(before), $"allocations did not grow: {Allocated(before)} → {Allocated(after)}");
            Assert.True(after.RootElement.GetProperty("threads").GetInt32() > 1, "no thread count");
            Assert.True(after.RootElement.GetProperty("open_fds").GetInt32() > 2, "no open files");
            Assert.True(after.RootElement.GetProperty("jit_methods").GetInt64() > 0, "no JIT-compiled methods");
            Assert.True(after.RootElement.GetProperty("heap_size_bytes").GetInt64() >= 0);
            Assert.True(
                after.RootElement.GetProperty("gc_committed_bytes").GetInt64() >= after.RootElement.GetProperty("heap_size_bytes").GetInt64(),
                "the GC holds less memory than its heap");
            Assert.True(after.RootElement.GetProperty("gen0").GetInt32() >= before.RootElement.GetProperty("gen0").GetInt32());
        }
        finally
        {
            target.Kill(entireProcessTree: true);
            await target.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WaitUntilServingAsync(HttpClient client, Process target)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (true)
        {
            if (target.HasExited)
            {
                Assert.Fail("the target exited: " + await target.StandardError.ReadToEndAsync());
            }

            try
            {
                using var response = await client.PostAsync("v1/chat/completions", new StringContent("{}"), timeout.Token);
                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the next attempt after the target's next step, bounded by the timeout.
                await Task.Delay(20, timeout.Token);
            }
        }
    }

    private static async Task<JsonDocument> SampleAsync(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).WaitAsync(Limit);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream);
        return JsonDocument.Parse(await reader.ReadToEndAsync().WaitAsync(Limit));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
