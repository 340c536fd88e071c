namespace LlmGate.Tests.Configuration;

/// <summary>A theory over the shared LiteLLM configs, skipped with a reason when the folder is not beside the repository.</summary>
public sealed class SharedCompatTheoryAttribute : TheoryAttribute
{
    public SharedCompatTheoryAttribute()
    {
        if (CompatConfigs.Directory is null)
        {
            Skip = "../shared/compat/litellm-configs was not found next to the directory holding LlmGate.slnx; the LiteLLM compat corpus is not part of the repository";
        }
    }
}
