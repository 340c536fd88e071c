using System.Globalization;
using LlmGate.Testing;
using Xunit.Abstractions;

namespace LlmGate.EndToEnd.Hosting;

/// <summary>
/// Issue 19's slow reader, end to end: the real gateway process relays an upstream that would send hundreds of megabytes
/// to a client reading 1 byte a second, and its resident memory stays flat, because the relay awaits each flush and
/// TCP holds the upstream back. Bounded: about 20 s of reading after a start of a few seconds.
/// </summary>
public sealed class SlowReaderMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string StreamRequest = """{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    // What RSS may grow by while the stream runs. The stream's own buffers in the gateway are about 100 KB (Kestrel's
    // 64 KB response pipe plus one write, a 16 KB relay buffer, HttpClient's read buffer); the rest of the allowance is
    // for the runtime's own noise (JIT, a GC heap resizing, a thread stack). A gateway that did not push back would
    // take the flood at loopback speed, hundreds of MB a second, and be far past it within the first sample.
    private const long RssGrowthBound = 16L * 1024 * 1024;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("llmgate-slowreader-");
    private FloodingUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = FloodingUpstream.Start(FloodShape.OpenAi);
        await File.WriteAllTextAsync(ConfigPath, $"""
            model_list:
              - model_name: m
                litellm_params: {"{"}model: openai/m, api_base: "{_upstream.BaseUri}v1", api_key: sk-upstream{"}"}
            """);
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private string ConfigPath => Path.Combine(_directory.FullName, "config.yaml");

    [Fact]
    public async Task SlowReader_OneBytePerSecondOfAFloodingStream_GatewayRssStaysFlat()
    {
        await using var gateway = await GatewayProcess.StartAsync(ConfigPath, Path.Combine(_directory.FullName, "data"), new Dictionary<string, string>());
        using var client = await SlowClient.PostAsync(gateway.BaseAddress, "/v1/chat/completions", StreamRequest);
        await _upstream.Streaming.WaitAsync(TimeSpan.FromSeconds(15));

        // The first seconds fill the buffers: the baseline is taken once the stream is established.
        await client.ReadSlowlyAsync(TimeSpan.FromSeconds(2), bytesPerRead: 1, pause: TimeSpan.FromSeconds(1));
        var baseline = ResidentBytes(gateway.ProcessId);
        var peak = baseline;
        for (var i = 0; i < 6; i++)
        {
            await client.ReadSlowlyAsync(TimeSpan.FromSeconds(3), bytesPerRead: 1, pause: TimeSpan.FromSeconds(1));
            var rss = ResidentBytes(gateway.ProcessId);
            peak = Math.Max(peak, rss);
            output.WriteLine($"{2 + 3 * (i + 1)} s: RSS {rss / 1024} KB, upstream wrote {_upstream.BytesWritten / 1024} KB, client read {client.BytesRead} B");
        }

        output.WriteLine($"baseline {baseline / 1024} KB, peak {peak / 1024} KB, growth {(peak - baseline) / 1024} KB");
        Assert.False(client.ConnectionEnded, "the gateway cut a client that was still reading");
        Assert.InRange(peak - baseline, long.MinValue, RssGrowthBound);
        // The flood was held back, not absorbed: kernel socket buffers (a few MB on loopback) are all it got into.
        Assert.InRange(_upstream.BytesWritten, 0, 16L * 1024 * 1024);
    }

    private static long ResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}
