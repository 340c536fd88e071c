namespace LlmGate.Providers.Aws;

/// <summary>
/// A <c>bedrock/</c> deployment as LiteLLM reads it: its region (<c>aws_region_name</c>, an ARN's, <c>AWS_REGION_NAME</c>,
/// <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, else <c>us-west-2</c>), its runtime endpoint (<c>api_base</c>,
/// <c>aws_bedrock_runtime_endpoint</c>, <c>AWS_BEDROCK_RUNTIME_ENDPOINT</c>, else Bedrock's regional host), and how calls
/// authenticate: a Bedrock API key as a bearer (no signing), else SigV4 with the deployment's AWS credentials.
/// </summary>
internal sealed class BedrockSettings : IProviderSettings
{
    public const string DefaultRegion = "us-west-2";

    public BedrockSettings(string region, string runtimeEndpoint, string? bearerToken, AwsCredentialSource? credentials)
    {
        Region = region;
        RuntimeEndpoint = runtimeEndpoint.TrimEnd('/');
        BearerToken = bearerToken;
        Credentials = credentials;
    }

    public string Region { get; }

    /// <summary>The runtime's root, e.g. <c>https://bedrock-runtime.us-east-1.amazonaws.com</c>, without a trailing '/'.</summary>
    public string RuntimeEndpoint { get; }

    /// <summary>A Bedrock API key (<c>api_key</c> or <c>AWS_BEARER_TOKEN_BEDROCK</c>): sent as a bearer, nothing signed.</summary>
    public string? BearerToken { get; }

    /// <summary>Null when <see cref="BearerToken"/> is set.</summary>
    public AwsCredentialSource? Credentials { get; }

    public string? UnusableReason => null;

    public string? PublicApiBase => RuntimeEndpoint;

    /// <summary><c>{endpoint}/model/{modelId}/{operation}</c>; the model id is one path segment, percent-encoded (<c>:</c>, and <c>/</c> in ARNs).</summary>
    public Uri OperationUri(string modelId, string operation) => new($"{RuntimeEndpoint}/model/{Uri.EscapeDataString(modelId)}/{operation}", UriKind.Absolute);

    /// <summary>The region an inference-profile or model ARN names (<c>arn:aws:bedrock:us-east-1:123456789012:...</c>), if any.</summary>
    public static string? RegionOfArn(string modelId)
    {
        var parts = modelId.Split(':');
        return parts.Length > 4 && parts[0] == "arn" && parts[3].Length > 0 ? parts[3] : null;
    }
}
