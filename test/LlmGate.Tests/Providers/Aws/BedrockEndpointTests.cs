using LlmGate.Configuration;
using LlmGate.Providers;
using LlmGate.Providers.Aws;

namespace LlmGate.Tests.Providers.Aws;

public sealed class BedrockEndpointTests
{
    private static readonly ProviderAdapters Adapters = ProviderAdapters.CreateDefault(TimeProvider.System);

    private static ProviderEndpoint Endpoint(string model, string? apiBase = null, string? apiKey = null, Dictionary<string, string>? parameters = null, Dictionary<string, string>? environment = null) =>
        new(new DeploymentConfig { ModelName = "m", Model = model, Id = "d", ApiBase = apiBase, ApiKey = apiKey, ProviderParams = parameters ?? [] },
            Adapters, name => environment?.GetValueOrDefault(name));

    private static BedrockSettings Settings(ProviderEndpoint endpoint) => Assert.IsType<BedrockSettings>(endpoint.Settings);

    [Theory]
    [InlineData("eu-west-1", null, null, "eu-west-1")]
    [InlineData(null, "ap-south-1", "us-east-2", "ap-south-1")]
    [InlineData(null, null, "us-east-2", "us-east-2")]
    [InlineData(null, null, null, "us-west-2")]
    public void Region_ParamThenRegionNameThenRegionThenDefault(string? param, string? regionName, string? region, string expected)
    {
        var parameters = param is null ? new Dictionary<string, string>() : new() { ["aws_region_name"] = param };
        var environment = new Dictionary<string, string>();
        if (regionName is not null)
        {
            environment["AWS_REGION_NAME"] = regionName;
        }

        if (region is not null)
        {
            environment["AWS_REGION"] = region;
        }

        var settings = Settings(Endpoint("bedrock/anthropic.claude-3-5-haiku-20241022-v1:0", parameters: parameters, environment: environment));

        Assert.Equal(expected, settings.Region);
        Assert.Equal($"https://bedrock-runtime.{expected}.amazonaws.com", settings.RuntimeEndpoint);
    }

    [Fact]
    public void Region_FromTheModelArn_BeforeTheEnvironment()
    {
        var settings = Settings(Endpoint("bedrock/arn:aws:bedrock:ca-central-1:123456789012:inference-profile/us.anthropic.claude-3", environment: new() { ["AWS_REGION"] = "us-east-1" }));

        Assert.Equal("ca-central-1", settings.Region);
        Assert.Equal(
            "https://bedrock-runtime.ca-central-1.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aca-central-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3/converse",
            settings.OperationUri("arn:aws:bedrock:ca-central-1:123456789012:inference-profile/us.anthropic.claude-3", "converse").AbsoluteUri);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000", null, "http://127.0.0.1:9000")]
    [InlineData(null, "https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com/", "https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com")]
    public void Endpoint_ApiBaseThenRuntimeEndpointParam(string? apiBase, string? runtime, string expected)
    {
        var parameters = runtime is null ? new Dictionary<string, string>() : new() { ["aws_bedrock_runtime_endpoint"] = runtime };

        var endpoint = Endpoint("bedrock/amazon.nova-lite-v1:0", apiBase, parameters: parameters);

        Assert.Equal(expected, Settings(endpoint).RuntimeEndpoint);
        Assert.Equal(expected, endpoint.PublicApiBase);
        Assert.Null(endpoint.UnusableReason);
    }

    [Fact]
    public void BedrockApiKey_FromVariable_BearerAndNoSigning()
    {
        var settings = Settings(Endpoint("bedrock/amazon.nova-lite-v1:0", environment: new() { ["AWS_BEARER_TOKEN_BEDROCK"] = "bedrock-api-key" }));

        Assert.Equal("bedrock-api-key", settings.BearerToken);
        Assert.Null(settings.Credentials);
    }

    [Theory]
    [InlineData("aws_role_name", "arn:aws:iam::123456789012:role/bedrock", "role arn:aws:iam::123456789012:role/bedrock (assumed with access key AKIAEXAMPLE)")]
    [InlineData("aws_profile_name", "prod", "profile prod")]
    [InlineData(null, null, "access key AKIAEXAMPLE")]
    public void Credentials_LiteLlmsOrder_DescribedWithoutSecrets(string? key, string? value, string description)
    {
        var parameters = new Dictionary<string, string> { ["aws_access_key_id"] = "AKIAEXAMPLE", ["aws_secret_access_key"] = "secret-value" };
        if (key is not null)
        {
            parameters[key] = value!;
        }

        var settings = Settings(Endpoint("bedrock/amazon.nova-lite-v1:0", parameters: parameters));

        Assert.Equal(description, settings.Credentials!.Description);
    }

    [Fact]
    public void Credentials_KeysFromUpperCaseVariables()
    {
        var settings = Settings(Endpoint("bedrock/amazon.nova-lite-v1:0", environment: new() { ["AWS_ACCESS_KEY_ID"] = "AKIAENV", ["AWS_SECRET_ACCESS_KEY"] = "s" }));

        Assert.Equal("access key AKIAENV", settings.Credentials!.Description);
    }

    [Theory]
    [InlineData("anthropic.claude-3-5-haiku-20241022-v1:0")]
    [InlineData("us.anthropic.claude-3-7-sonnet-20250219-v1:0")]
    [InlineData("amazon.nova-pro-v1:0")]
    public void BareBedrockModelId_InfersBedrock(string model) => Assert.Equal("bedrock", ProviderCatalog.InferProvider(model));
}
