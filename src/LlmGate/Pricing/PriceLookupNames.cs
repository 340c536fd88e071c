using LlmGate.Configuration;

namespace LlmGate.Pricing;

/// <summary>
/// The names a deployment's price is looked up by, most specific first, as LiteLLM does: the full name
/// (<c>bedrock/anthropic.claude-...</c>, <c>gemini/gemini-2.5-pro</c>, <c>azure/gpt-4o</c>), then without the provider
/// prefix (<c>gpt-4o</c>), then for a Bedrock cross-region inference profile (<c>us.anthropic.claude-...</c>) the model
/// without its region. <c>model_info.base_model</c>, when set, is the name; else <c>litellm_params.model</c>.
/// </summary>
internal static class PriceLookupNames
{
    // Bedrock's cross-region inference profile prefixes.
    private static readonly string[] BedrockRegions = ["us.", "eu.", "apac.", "jp.", "au.", "ca.", "global.", "us-gov."];

    // LiteLLM's route hints inside a model name: bedrock/converse/..., bedrock/invoke/..., azure/o_series/...
    private static readonly string[] RouteHints = ["converse/", "invoke/", "o_series/"];

    public static IReadOnlyList<string> For(DeploymentConfig deployment)
    {
        var name = deployment.Pricing.BaseModel ?? deployment.Model;
        var names = new List<string>(4);
        if (name.Contains('*', StringComparison.Ordinal))
        {
            // A wildcard serves many models; its price depends on the model asked for, not on the deployment.
            return names;
        }

        Add(names, name);
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var bare = slash < 0 ? name : name[(slash + 1)..];
        foreach (var hint in RouteHints)
        {
            if (bare.StartsWith(hint, StringComparison.Ordinal))
            {
                bare = bare[hint.Length..];
                break;
            }
        }

        Add(names, bare);
        foreach (var region in BedrockRegions)
        {
            if (bare.StartsWith(region, StringComparison.Ordinal))
            {
                Add(names, bare[region.Length..]);
                break;
            }
        }

        return names;
    }

    private static void Add(List<string> names, string name)
    {
        if (name.Length > 0 && !names.Contains(name))
        {
            names.Add(name);
        }
    }
}
