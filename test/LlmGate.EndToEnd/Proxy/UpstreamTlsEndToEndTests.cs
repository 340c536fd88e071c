using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Proxy;

/// <summary>
/// An HTTPS upstream whose certificate the gateway trusts (its CA given by <c>SSL_CERT_FILE</c>, which .NET on Linux
/// honours for the whole process, hence the real executable) but issued for another name: the operator reads which.
/// </summary>
public sealed class UpstreamTlsEndToEndTests
{
    private const string Answer = """{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CertificateForAnotherName_Retried502SayingItDoesNotMatchTheHost()
    {
        using var authority = TestCertificates.CreateAuthority();
        using var matching = TestCertificates.CreateServer(authority, "other.example", loopback: true);
        using var mismatched = TestCertificates.CreateServer(authority, "other.example", loopback: false);
        await using var good = RawUpstream.Start(matching);
        await using var wrongName = RawUpstream.Start(mismatched);
        good.Answer = wrongName.Answer = exchange => RawUpstream.WriteAsync(exchange.Stream, RawUpstream.JsonAnswer(Answer));
        var directory = Directory.CreateTempSubdirectory("llmgate-upstream-tls-");
        try
        {
            var caFile = Path.Combine(directory.FullName, "ca.pem");
            await File.WriteAllTextAsync(caFile, authority.ExportCertificatePem());
            var config = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(config, $"""
                model_list:
                  - model_name: good
                    litellm_params: {"{"}model: openai/good, api_base: "https://127.0.0.1:{good.Port}/v1", api_key: sk-upstream, timeout: 5{"}"}
                  - model_name: wrong-name
                    litellm_params: {"{"}model: openai/wrong-name, api_base: "https://127.0.0.1:{wrongName.Port}/v1", api_key: sk-upstream, timeout: 5{"}"}
                router_settings:
                  num_retries: 1
                  disable_cooldowns: true
                """);
            await using var gateway = await GatewayProcess.StartAsync(config, Path.Combine(directory.FullName, "data"), new Dictionary<string, string>
            {
                ["SSL_CERT_FILE"] = caFile,
                ["SSL_CERT_DIR"] = directory.FullName,
            });
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

            using var trusted = await PostAsync(http, "good");
            using var refused = await PostAsync(http, "wrong-name");
            var body = await refused.Content.ReadAsStringAsync();
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");

            // The CA is trusted: the same certificate with 127.0.0.1 in it is accepted.
            Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
            Assert.Equal(Answer, await trusted.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            Assert.Equal("api_connection_error", error.GetProperty("type").GetString());
            Assert.Contains(
                "TLS handshake failed: the upstream's TLS certificate does not match host 127.0.0.1 (",
                error.GetProperty("message").GetString(),
                StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            Assert.Equal("1", Assert.Single(refused.Headers.GetValues("x-litellm-attempted-retries")));
            Assert.Equal(0, wrongName.Requests);
            await wrongName.WaitForOpenConnectionsAtMostAsync(0, Deadline);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string model) =>
        http.PostAsync("v1/chat/completions", new StringContent(
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json")));
}
