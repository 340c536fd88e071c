using System.Collections.Frozen;

namespace LlmGate.Configuration;

/// <summary>
/// The <c>litellm_params</c> keys that belong to one provider. The config carries them as text (<c>os.environ/</c>
/// resolved) in <see cref="DeploymentConfig.ProviderParams"/>; the provider that owns a key reads, checks and defaults
/// it (from its own environment variables) when the deployment's endpoint is built. A new provider's keys are added here.
/// </summary>
internal static class ProviderParamNames
{
    public static readonly FrozenSet<string> All = FrozenSet.ToFrozenSet(
    [
        // Azure OpenAI
        "api_version", "azure_ad_token",

        // Vertex AI: LiteLLM reads both spellings of each
        "vertex_project", "vertex_ai_project", "vertex_location", "vertex_ai_location", "vertex_credentials", "vertex_ai_credentials",

        // AWS Bedrock: each falls back to the upper-case variable of the same name, as in LiteLLM
        "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region_name", "aws_session_name", "aws_profile_name",
        "aws_role_name", "aws_web_identity_token", "aws_sts_endpoint", "aws_external_id", "aws_bedrock_runtime_endpoint",

        // Any provider: the deployment's region, as LiteLLM's region routing reads it; region outage alerts group by it
        "region_name",
    ], StringComparer.Ordinal);
}
