using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Hosting;

/// <summary>
/// SIGTERM as Kubernetes sends it (issue 19): the listener closes, a stream in flight runs to its end, the process
/// exits 0; past <c>--shutdown-timeout</c> a stream ends with an error event; a second signal ends the process at once.
/// </summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private const int SigTerm = 15;
    private const int SigInt = 2;
    private const string StreamRequest = """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("llmgate-shutdown-");
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _upstream.HoldStreamAfterFirstChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await File.WriteAllTextAsync(ConfigPath, $"""
            model_list:
              - model_name: gpt-4o
                litellm_params: {"{"}model: openai/gpt-4o, api_base: "{_upstream.ApiBase}", api_key: {_upstream.ApiKey}{"}"}
            general_settings:
              master_key: sk-1234
            """);
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private string ConfigPath => Path.Combine(_directory.FullName, "config.yaml");

    [Fact]
    public async Task SigTerm_StreamInFlight_ListenerClosesStreamCompletesExitCodeZero()
    {
        await using var gateway = await StartAsync("30");
        using var http = Client(gateway);
        using var stream = await OpenStreamAsync(http);

        gateway.Signal(SigTerm);

        await AssertRefusesConnectionsAsync(gateway.BaseAddress);
        _upstream.HoldStreamAfterFirstChunk!.SetResult();
        var rest = await stream.ReadToEndAsync();
        Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("error", rest, StringComparison.Ordinal);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task SigTerm_StreamOutlastsTheShutdownTimeout_EndsWithAnErrorEventAndExitCodeZero()
    {
        await using var gateway = await StartAsync("1");
        using var http = Client(gateway);
        using var stream = await OpenStreamAsync(http);

        gateway.Signal(SigTerm);

        var rest = await stream.ReadToEndAsync();
        Assert.Contains("\"type\":\"service_unavailable\"", rest, StringComparison.Ordinal);
        Assert.Contains("shutting down", rest, StringComparison.Ordinal);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task SecondSignal_WhileDraining_ExitsAtOnce()
    {
        await using var gateway = await StartAsync("300");
        using var http = Client(gateway);
        using var stream = await OpenStreamAsync(http);

        gateway.Signal(SigTerm);
        await AssertRefusesConnectionsAsync(gateway.BaseAddress);
        gateway.Signal(SigInt);

        // Well before the 300 s the stream could still run: the second signal did not wait for it.
        Assert.NotEqual(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    private Task<GatewayProcess> StartAsync(string shutdownTimeout) =>
        GatewayProcess.StartAsync(ConfigPath, Path.Combine(_directory.FullName, "data"), new Dictionary<string, string>(), arguments: ["--shutdown-timeout", shutdownTimeout]);

    private static HttpClient Client(GatewayProcess gateway)
    {
        var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-1234");
        return http;
    }

    // The stream's headers and first chunk have arrived: the call is in flight, held by the upstream.
    private static async Task<StreamReader> OpenStreamAsync(HttpClient http)
    {
        var response = await http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(StreamRequest, Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        return reader;
    }

    // Polls with fresh connections until one is refused, or reset as the listening socket closes with it in its
    // backlog: the listener no longer serves (bounded: 20 s).
    private static async Task AssertRefusesConnectionsAsync(Uri address)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, address.Port, deadline.Token);
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                return;
            }

            await Task.Yield();
        }
    }
}
