namespace LlmGate.Tests.Configuration;

/// <summary>A fact over the whole shared LiteLLM corpus, skipped with a reason when the folder is not beside the repository.</summary>
public sealed class SharedCompatFactAttribute : FactAttribute
{
    public SharedCompatFactAttribute()
    {
        if (CompatConfigs.Directory is null)
        {
            Skip = "../shared/compat/litellm-configs was not found next to the directory holding LlmGate.slnx; the LiteLLM compat corpus is not part of the repository";
        }
    }
}
