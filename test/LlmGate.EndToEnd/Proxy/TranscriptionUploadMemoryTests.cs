using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LlmGate.Testing;
using OpenAI;
using OpenAI.Audio;
using Xunit.Abstractions;

namespace LlmGate.EndToEnd.Proxy;

/// <summary>
/// Issue 20's upload bound, end to end: the real gateway process takes a 20 MB transcription from the OpenAI SDK's audio
/// client and hands every byte to the upstream while its resident memory stays flat, because the file goes to a
/// temporary file (in the process's <c>TMPDIR</c>) piece by piece and is read from there as the upstream request is sent.
/// </summary>
public sealed class TranscriptionUploadMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string MasterKey = "sk-upload-memory-5c1e";
    private const int UploadBytes = 20 * 1024 * 1024;

    // What the peak resident memory may grow by while the upload runs. The upload's own buffers in the gateway are a
    // few hundred KB (Kestrel's request pipe, a 64 KB copy buffer, the file stream's and HttpClient's send buffers); the
    // rest is for the runtime's noise (a GC heap resizing, a thread stack). A gateway that held the file would be at
    // least 20 MB past its baseline.
    private const long PeakGrowthBound = 10L * 1024 * 1024;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("llmgate-upload-memory-");
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        Directory.CreateDirectory(SpoolFolder);
        await File.WriteAllTextAsync(ConfigPath, $"""
            model_list:
              - model_name: whisper
                litellm_params: {"{"}model: openai/whisper-1, api_base: "{_upstream.ApiBase}", api_key: {_upstream.ApiKey}{"}"}
            general_settings:
              master_key: {MasterKey}
            """);
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private string ConfigPath => Path.Combine(_directory.FullName, "config.yaml");

    private string SpoolFolder => Path.Combine(_directory.FullName, "tmp");

    [Fact]
    public async Task Upload20Mb_EveryByteReachesTheUpstream_GatewayPeakMemoryFlat_NoFileLeft()
    {
        await using var gateway = await GatewayProcess.StartAsync(
            ConfigPath, Path.Combine(_directory.FullName, "data"), new Dictionary<string, string> { ["TMPDIR"] = SpoolFolder });
        var client = new AudioClient("whisper", new ApiKeyCredential(MasterKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.BaseAddress, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        });

        // A small upload first, so what follows measures the upload and not the code's first run.
        await client.TranscribeAudioAsync(new MemoryStream(Audio(64 * 1024)), "warm-up.wav");
        var (baselineRss, baselinePeak) = Memory(gateway.ProcessId);

        var audio = Audio(UploadBytes);
        AudioTranscription transcription = await client.TranscribeAudioAsync(new MemoryStream(audio), "long-meeting.wav");

        var (afterRss, afterPeak) = Memory(gateway.ProcessId);
        output.WriteLine($"RSS before {baselineRss / 1024} KB (peak so far {baselinePeak / 1024} KB); after {afterRss / 1024} KB (peak {afterPeak / 1024} KB); peak growth {(afterPeak - baselinePeak) / 1024} KB for a {UploadBytes / 1024} KB upload");
        Assert.Equal(FakeTranscriptionApi.TextOf("transcriptions"), transcription.Text);
        var file = JsonDocument.Parse(_upstream.Received.Last().Body).RootElement.GetProperty("file");
        Assert.Equal(((long)UploadBytes, Convert.ToHexStringLower(SHA256.HashData(audio))), (file.GetProperty("bytes").GetInt64(), file.GetProperty("sha256").GetString()));
        Assert.InRange(afterPeak - baselinePeak, long.MinValue, PeakGrowthBound);
        // The runtime keeps its diagnostics socket in TMPDIR too: only the gateway's own spooled files count.
        Assert.Empty(Directory.GetFiles(SpoolFolder, "llmgate-upload-*"));
    }

    private static byte[] Audio(int length)
    {
        var audio = new byte[length];
        new Random(20).NextBytes(audio);
        return audio;
    }

    // VmRSS now and VmHWM, the most it has been since the process started: a peak between two samples is not missed.
    private static (long Resident, long Peak) Memory(int processId)
    {
        var lines = File.ReadAllLines($"/proc/{processId}/status");
        return (Kilobytes(lines, "VmRSS:") * 1024, Kilobytes(lines, "VmHWM:") * 1024);

        static long Kilobytes(string[] lines, string field) =>
            long.Parse(lines.First(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
