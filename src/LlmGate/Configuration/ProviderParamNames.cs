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
    ], StringComparer.Ordinal);
}
