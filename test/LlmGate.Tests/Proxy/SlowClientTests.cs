using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.Proxy;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit.Abstractions;

namespace LlmGate.Tests.Proxy;

/// <summary>
/// Back-pressure (issue 19, item 3): a client that reads a stream slowly holds the upstream back through TCP, because
/// the relay awaits each flush into Kestrel's response pipe; a client that takes nothing is cut; a request body that
/// trickles in is cut by Kestrel. These run on real sockets and real clocks (the stall timer, Kestrel's heartbeat), so
/// each takes a few seconds, bounded: at most about 10 s of pacing, and every wait has a deadline of 15 s or less.
/// </summary>
public sealed class SlowClientTests(ITestOutputHelper output)
{
    private const string StreamRequest = """{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task SlowReader_Stream_UpstreamWritesNoMoreThanTheBuffersBeyondWhatTheClientRead(string provider)
    {
        await using var upstream = FloodingUpstream.Start(provider == "openai" ? FloodShape.OpenAi : FloodShape.Anthropic);
        var recorder = new EndedCallRecorder();
        // stream_timeout 1 s: the relay's waits on this client last far longer, and must not be taken for a silent upstream.
        await using var gateway = await TestGateway.StartAsync(Yaml(provider, upstream.BaseUri, streamTimeout: 1), configureServices: s => s.AddSingleton<ICallObserver>(recorder));
        using var client = await SlowClient.PostAsync(gateway.BaseAddress, "/v1/chat/completions", StreamRequest);
        await upstream.Streaming.WaitAsync(Deadline);

        // About 16 B/s: 4 bytes every 250 ms, for 4 s and then 4 s more.
        await client.ReadSlowlyAsync(TimeSpan.FromSeconds(4), bytesPerRead: 4, pause: TimeSpan.FromMilliseconds(250));
        var (written1, read1) = (upstream.BytesWritten, client.BytesRead);
        await client.ReadSlowlyAsync(TimeSpan.FromSeconds(4), bytesPerRead: 4, pause: TimeSpan.FromMilliseconds(250));
        var (written2, read2) = (upstream.BytesWritten, client.BytesRead);

        var bound = InFlightBound();
        output.WriteLine($"{provider}: at 4 s upstream wrote {written1} B, client read {read1} B; at 8 s {written2} B and {read2} B; bound {bound} B");
        Assert.False(client.ConnectionEnded, "the gateway cut a client that was still reading");
        Assert.Null(recorder.EndedAs); // e.g. "Failed Timeout" when the client's slowness was blamed on the upstream
        Assert.InRange(written2 - read2, 0, bound);
        // Held back: in the second 4 s the upstream got to send no more than the client took, give or take one segment.
        Assert.InRange(written2 - written1, 0, read2 - read1 + 64 * 1024);
    }

    [Fact]
    public async Task NeverReadingClient_Stream_CutAfterTheStallTimeoutAsADisconnectAndTheUpstreamReleased()
    {
        await using var upstream = FloodingUpstream.Start(FloodShape.OpenAi);
        var recorder = new EndedCallRecorder();
        await using var gateway = await TestGateway.StartAsync(Yaml("openai", upstream.BaseUri, streamTimeout: 600), configureServices: s =>
        {
            s.AddSingleton<ICallObserver>(recorder);
            s.AddSingleton(new ClientStallLimit(TimeSpan.FromSeconds(2)));
        });
        using var client = await SlowClient.PostAsync(gateway.BaseAddress, "/v1/chat/completions", StreamRequest);
        await upstream.Streaming.WaitAsync(Deadline);

        await upstream.Closed.WaitAsync(Deadline);
        var call = await recorder.Ended.WaitAsync(Deadline);

        output.WriteLine($"upstream wrote {upstream.BytesWritten} B before the gateway closed it");
        Assert.Equal(CallOutcome.Cancelled, call.Outcome);
        Assert.Null(call.Failure);
    }

    [Fact]
    public async Task SlowlorisBody_OneBytePerSecond_408OpenAiErrorNotCountedAndNoErrorLog()
    {
        var recorder = new EndedCallRecorder();
        var logs = new FakeLogCollector();
        await using var gateway = await TestGateway.StartAsync(Yaml("openai", new Uri("http://127.0.0.1:9/"), streamTimeout: 600), configureServices: s =>
        {
            s.AddSingleton<ICallObserver>(recorder);
            s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs));
        });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", gateway.BaseAddress.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{{"));

        // Kestrel's MinRequestBodyDataRate: 240 B/s after a 5 s grace, checked on its 1 s heartbeat, so the cut comes at 5-7 s.
        using var stop = new CancellationTokenSource(Deadline);
        var trickle = TrickleAsync(socket, stop.Token);
        var response = await ReadToEndAsync(socket, stop.Token);
        await stop.CancelAsync();
        await trickle;

        output.WriteLine(response);
        Assert.StartsWith("HTTP/1.1 408 ", response, StringComparison.Ordinal);
        var error = JsonDocument.Parse(response[response.IndexOf("\r\n\r\n", StringComparison.Ordinal)..]).RootElement.GetProperty("error");
        Assert.Contains("request body arrived too slowly (the minimum is 240 bytes/s after the first 5 s)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("timeout", error.GetProperty("type").GetString());
        Assert.Equal("408", error.GetProperty("code").GetString());
        var call = await recorder.Ended.WaitAsync(Deadline);
        // Alerting counts only failures of routed calls (InFlightRegistry); this one never reached a model group or deployment.
        Assert.Equal(CallOutcome.Failed, call.Outcome);
        Assert.Equal(FailureKind.InvalidRequest, call.Failure?.Kind);
        Assert.Null(call.ModelGroup);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level >= LogLevel.Error || r.Exception is not null);
    }

    // One byte a second until told to stop or the gateway stops taking them.
    private static async Task TrickleAsync(Socket socket, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
                await socket.SendAsync("x"u8.ToArray(), SocketFlags.None, stop);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException)
        {
            // Stopped, or the gateway closed the connection.
        }
    }

    // The response up to the gateway's close; the 408 ends the connection (Kestrel keeps no connection whose body it cut).
    private static async Task<string> ReadToEndAsync(Socket socket, CancellationToken stop)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // Reset after the response: what arrived is kept.
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    // What may sit between the upstream and a client that reads nothing, per stream: the gateway's socket to the client
    // (its send buffer, which Linux autotunes up to net.ipv4.tcp_wmem's maximum: at once on loopback, whose 64 KB
    // segments make the initial congestion window that big), plus 2 MiB for the rest: the gateway's receive buffer from
    // the upstream (autotuned while it read freely before the pipe filled; about 0.7 MB measured), Kestrel's response
    // pipe (64 KB before it pauses, plus one write), one 16 KB relay buffer, the fake's 8 KB send buffer and the
    // client's 4 KB receive buffer. The flood itself stops at 256 MiB, so a gateway that buffers is far outside it.
    private static long InFlightBound()
    {
        var wmem = File.ReadAllText("/proc/sys/net/ipv4/tcp_wmem").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(wmem[2], CultureInfo.InvariantCulture) + 2 * 1024 * 1024;
    }

    private static string Yaml(string provider, Uri upstream, int streamTimeout) => provider == "openai"
        ? $"""
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/m
                  api_base: {upstream}v1
                  api_key: sk-upstream
                  stream_timeout: {streamTimeout}
            """
        : $"""
            model_list:
              - model_name: m
                litellm_params:
                  model: anthropic/claude
                  api_base: {upstream}
                  api_key: sk-ant-upstream
                  stream_timeout: {streamTimeout}
            """;
}
