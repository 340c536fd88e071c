using System.Net;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys.Management;

public sealed class ModelInfoTests
{
    [Theory]
    [InlineData("/model/info")]
    [InlineData("/v1/model/info")]
    public async Task ModelInfo_ShowsDeploymentsPricesAndNoCredential(string path)
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.DoesNotContain("secret-never-shown", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", reply.Text, StringComparison.Ordinal);
        var data = reply.Json.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["gpt-4o", "claude"], data.Select(d => d.GetProperty("model_name").GetString()));
        var gpt = data[0];
        Assert.Equal("openai/gpt-4o", gpt.GetProperty("litellm_params").GetProperty("model").GetString());
        Assert.Equal("https://api.openai.example/v1", gpt.GetProperty("litellm_params").GetProperty("api_base").GetString());
        var info = gpt.GetProperty("model_info");
        Assert.Equal("dep-gpt4o", info.GetProperty("id").GetString());
        Assert.Equal(2.5e-6, info.GetProperty("input_cost_per_token").GetDouble());
        Assert.Equal(1e-5, info.GetProperty("output_cost_per_token").GetDouble());
        Assert.Equal(128000, info.GetProperty("max_input_tokens").GetInt64());
        Assert.Equal(16384, info.GetProperty("max_output_tokens").GetInt64());
        Assert.Equal(16384, info.GetProperty("max_tokens").GetInt64());
    }

    [Fact]
    public async Task ModelInfo_VirtualKeyAndOpenGateway_MayRead()
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, _, _) = await host.GenerateAsync();
        await using var open = await ManagementHost.StartAsync(withMasterKey: false);

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/model/info", bearer: key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await open.GetAsync("/model/info", bearer: null)).Status);
    }

    [Fact]
    public async Task ModelInfo_ByModelId_ShowsThatDeploymentOnly()
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.GetAsync("/model/info?litellm_model_id=dep-gpt4o");

        Assert.Equal("gpt-4o", Assert.Single(reply.Json.GetProperty("data").EnumerateArray()).GetProperty("model_name").GetString());
    }
}
