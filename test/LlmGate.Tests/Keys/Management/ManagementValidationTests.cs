using System.Net;

namespace LlmGate.Tests.Keys.Management;

public sealed class ManagementValidationTests
{
    [Theory]
    [InlineData("{\"max_budget\": ")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"key_alias\": \"\\ud800\"}")] // no Unicode text: its string cannot be read
    public async Task BadJson_Is400WithAClearMessageAndNoStackTrace(string body)
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/key/generate", body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.StartsWith("The request body ", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(" at LlmGate", reply.Text, StringComparison.Ordinal);
        Assert.Empty((await host.KeysAsync()));
    }

    [Theory]
    [InlineData("""{"max_budget": -1}""", "max_budget cannot be negative. Received: -1")]
    [InlineData("""{"soft_budget": -0.5}""", "soft_budget cannot be negative. Received: -0.5")]
    [InlineData("""{"rpm_limit": -3}""", "rpm_limit cannot be negative. Received: -3")]
    [InlineData("""{"rpm_limit": 1.5}""", "rpm_limit must be a whole number.")]
    [InlineData("""{"max_budget": "ten"}""", "max_budget must be a number.")]
    [InlineData("""{"max_budget": 1e400}""", "max_budget must be a finite number.")] // infinity: stored, no listing could show it
    [InlineData("""{"soft_budget": 1e400}""", "soft_budget must be a finite number.")]
    [InlineData("""{"tpm_limit": 1e400}""", "tpm_limit must be a finite number.")]
    [InlineData("""{"models": "gpt-4o"}""", "models must be a list of strings.")]
    [InlineData("""{"metadata": [1]}""", "metadata must be a JSON object.")]
    [InlineData("""{"blocked": "yes"}""", "blocked must be true or false.")]
    public async Task Generate_BadField_Is400WithLiteLlmsMessage(string body, string message)
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/key/generate", body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(message, reply.ErrorMessage);
        Assert.Empty((await host.KeysAsync()));
    }

    [Theory]
    [InlineData("budget_duration")]
    [InlineData("duration")]
    public async Task Generate_BadDuration_Is400NamingTheField(string field)
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/key/generate", $$"""{"{{field}}": "30 days"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.StartsWith(field + " '30 days' is not a duration", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(field, reply.Json.GetProperty("error").GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("model_max_budget", """{"gpt-4o": 1}""")]
    [InlineData("model_rpm_limit", """{"gpt-4o": 1}""")]
    [InlineData("model_tpm_limit", """{"gpt-4o": 1}""")]
    [InlineData("allowed_routes", """["/chat/completions"]""")]
    [InlineData("guardrails", """["pii"]""")]
    [InlineData("key_type", "\"read_only\"")]
    public async Task Generate_EnforcingFieldWeDoNotSupport_Is400(string field, string value)
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/key/generate", $$"""{"{{field}}": {{value}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.StartsWith(field, reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("not supported by LlmGate yet", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty((await host.KeysAsync()));
    }

    [Fact]
    public async Task Generate_EmptyDefaultsOfUnsupportedFieldsAndUnknownFields_AreAccepted()
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/key/generate", """
            {"model_max_budget": {}, "model_rpm_limit": null, "allowed_routes": [], "guardrails": [], "key_type": "llm_api",
             "config": {"a": 1}, "permissions": {}, "send_invite_email": false, "some_future_field": 1}
            """);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(1, reply.Json.GetProperty("config").GetProperty("a").GetInt32());
        Assert.False(reply.Json.TryGetProperty("some_future_field", out _));
    }

    [Fact]
    public async Task DuplicateAlias_Is400()
    {
        await using var host = await ManagementHost.StartAsync();
        await host.GenerateAsync("""{"key_alias": "dup"}""");

        var reply = await host.PostAsync("/key/generate", """{"key_alias": "dup"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("Key with alias 'dup' already exists. Unique key aliases across all keys are required.", reply.ErrorMessage);
        Assert.Single((await host.KeysAsync()));
    }

    [Theory]
    [InlineData("POST", "/key/generate")]
    [InlineData("GET", "/key/list")]
    [InlineData("GET", "/team/list")]
    [InlineData("GET", "/spend/logs")]
    public async Task StoreDown_Is503WithoutTheStoresMessage(string method, string path)
    {
        await using var host = await ManagementHost.StartAsync(storeDown: true);

        var reply = method == "GET" ? await host.GetAsync(path) : await host.PostAsync(path, "{}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
        Assert.Contains("sqlite database", reply.ErrorMessage, StringComparison.Ordinal);
        // The store's own message names the database file; the client is not told where it lives.
        Assert.DoesNotContain("llmgate-mgmt-", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreDown_KeyInfo_Is503()
    {
        await using var host = await ManagementHost.StartAsync(storeDown: true);

        var reply = await host.GetAsync("/key/info?key=sk-some-key-1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
    }
}
