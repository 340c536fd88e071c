using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Hosting;

/// <summary>
/// Bodies over <c>max_request_size_mb</c> outside the proxied routes: refused 413 with the proxy's message, never a
/// 500, and read by a client that is still uploading (the proxy's own case is in <c>ProxyEndToEndTests</c>); forms over
/// ASP.NET's own form limits: 400.
/// </summary>
public sealed class BodyLimitEndToEndTests
{
    private const string MasterKey = "sk-master-body-limit";

    private const string Yaml = $"""
        model_list:
          - model_name: gpt-4o
            litellm_params: {"{"}model: openai/gpt-4o, api_base: "http://127.0.0.1:9/v1", api_key: x{"}"}
        general_settings:
          master_key: {MasterKey}
          max_request_size_mb: 0.001
        """;

    // 20 MB is more than loopback's socket buffers hold: the 413 is written while the client is still uploading, and
    // the client reads it only if the gateway drains the rest rather than closing on it.
    [Theory]
    [InlineData(4_000, true)]
    [InlineData(20_000_000, true)]
    [InlineData(20_000_000, false)]
    public async Task KeyGenerate_BodyOverLimit_Is413_ReadByTheClientStillUploading(int size, bool declaresLength)
    {
        await using var gateway = await TestGateway.StartAsync(Yaml);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        var json = new StringContent($$$"""{"metadata":{"note":"{{{new string('a', size)}}}"}}""", Encoding.UTF8, "application/json");

        using var response = await http.PostAsync("/key/generate", declaresLength ? json : await ChunkedContent.OfAsync(json));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains("max_request_size_mb", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var keys = await http.GetAsync("/key/list");
        Assert.Empty(JsonDocument.Parse(await keys.Content.ReadAsStringAsync()).RootElement.GetProperty("keys").EnumerateArray());
    }

    // The sign-in form is read by ASP.NET's form reader under Kestrel's own limit: its refusal reaches the gateway's
    // last-resort handler, which answers with the refusal's status rather than an internal error.
    [Fact]
    public async Task UiLogin_FormOverLimit_Is413NotAnInternalError()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var form = new FormUrlEncodedContent([new("key", new string('k', 4_000))]);

        using var response = await http.PostAsync("/ui/login", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("max_request_size_mb", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    // Under max_request_size_mb but over ASP.NET's 4 MB for one form value: the form reader's refusal, a 400.
    [Fact]
    public async Task UiLogin_FormValueOverTheFormReadersLimit_Is400NotAnInternalError()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml.Replace("max_request_size_mb: 0.001", "max_request_size_mb: 8", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var form = new FormUrlEncodedContent([new("key", new string('k', 5_000_000))]);

        using var response = await http.PostAsync("/ui/login", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.StartsWith("The form could not be read: ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
