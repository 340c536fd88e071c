using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace LlmGate.Providers.Aws;

/// <summary>
/// LiteLLM's order for a Bedrock deployment's credentials, each key read from <c>litellm_params</c> and else from the
/// upper-case variable of the same name: a web identity (a token, or EKS's <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> with
/// <c>AWS_ROLE_ARN</c>), an assumed role, a profile, static keys, then the AWS SDK's default chain.
/// </summary>
internal static class AwsCredentialResolver
{
    private const string DefaultSessionName = "llmgate-session";

    public static AwsCredentialSource Resolve(Func<string, string?> param, Func<string, string?> getEnvironmentVariable, string region, TimeProvider time)
    {
        var stsEndpoint = param("aws_sts_endpoint") ?? getEnvironmentVariable("AWS_ENDPOINT_URL_STS");
        var role = param("aws_role_name");
        var session = param("aws_session_name") ?? DefaultSessionName;
        var token = param("aws_web_identity_token");
        if (token is not null && role is not null)
        {
            return WebIdentity(() => token, role, session, stsEndpoint, region, time);
        }

        if (role is null && getEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE") is { } tokenFile && getEnvironmentVariable("AWS_ROLE_ARN") is { } eksRole
            && param("aws_access_key_id") is null)
        {
            // EKS (IRSA): the token file is rotated by the kubelet, so it is read again for every refresh.
            return WebIdentity(() => File.ReadAllText(tokenFile).Trim(), eksRole, getEnvironmentVariable("AWS_ROLE_SESSION_NAME") ?? session, stsEndpoint, region, time);
        }

        var (source, sourceDescription) = LongTerm(param);
        if (role is not null)
        {
            var externalId = param("aws_external_id");
            return AwsCredentialSource.FromSts(async cancellationToken =>
            {
                using var sts = new AmazonSecurityTokenServiceClient(source(), StsConfig(stsEndpoint, region));
                var answer = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = role, RoleSessionName = session, ExternalId = externalId }, cancellationToken);
                return Temporary(answer.Credentials);
            }, $"role {role} (assumed with {sourceDescription})", time);
        }

        return AwsCredentialSource.FromSdk(source, sourceDescription, time);
    }

    // A profile, static keys, or the SDK's default chain (environment, shared files, SSO, instance or task role).
    private static (Func<AWSCredentials> Source, string Description) LongTerm(Func<string, string?> param)
    {
        if (param("aws_profile_name") is { } profile)
        {
            return (() => new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var credentials)
                ? credentials
                : throw new AmazonClientException($"AWS profile '{profile}' was not found in the shared config or credentials files"), $"profile {profile}");
        }

        if (param("aws_access_key_id") is { } keyId && param("aws_secret_access_key") is { } secret)
        {
            var sessionToken = param("aws_session_token");
            return (() => sessionToken is null ? new BasicAWSCredentials(keyId, secret) : new SessionAWSCredentials(keyId, secret, sessionToken),
                $"access key {keyId}");
        }

        return (() => DefaultAWSCredentialsIdentityResolver.GetCredentials(), "the AWS SDK's default credentials");
    }

    private static AwsCredentialSource WebIdentity(Func<string> token, string role, string session, string? stsEndpoint, string region, TimeProvider time) =>
        AwsCredentialSource.FromSts(async cancellationToken =>
        {
            // AssumeRoleWithWebIdentity is not signed: the token is the proof.
            using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), StsConfig(stsEndpoint, region));
            var answer = await sts.AssumeRoleWithWebIdentityAsync(
                new AssumeRoleWithWebIdentityRequest { RoleArn = role, RoleSessionName = session, WebIdentityToken = token() }, cancellationToken);
            return Temporary(answer.Credentials);
        }, $"role {role} (web identity)", time);

    private static AmazonSecurityTokenServiceConfig StsConfig(string? endpoint, string region) => endpoint is null
        ? new AmazonSecurityTokenServiceConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(region) }
        : new AmazonSecurityTokenServiceConfig { ServiceURL = endpoint, AuthenticationRegion = region };

    private static AwsTemporaryCredentials Temporary(Credentials credentials) => new(
        new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
        new DateTimeOffset(DateTime.SpecifyKind(credentials.Expiration ?? DateTime.MinValue, DateTimeKind.Utc)));
}
