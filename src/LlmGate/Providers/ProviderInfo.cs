namespace LlmGate.Providers;

/// <summary>A provider prefix of <c>litellm_params.model</c> and how to reach it.</summary>
/// <param name="Name">The prefix, e.g. <c>openai</c> in <c>openai/gpt-4o</c>.</param>
/// <param name="DefaultApiBase">Used when the deployment sets no <c>api_base</c>; null means <c>api_base</c> is required.</param>
/// <param name="ApiKeyVariable">The environment variable LiteLLM reads when <c>api_key</c> is not set.</param>
/// <param name="RequiresApiKey">A hosted API that refuses calls without a key (local servers such as Ollama do not).</param>
/// <param name="Adapter">How calls are put on the wire; <see cref="OpenAiCompatibleAdapter"/> forwards bytes.</param>
internal sealed record ProviderInfo(string Name, string? DefaultApiBase, string? ApiKeyVariable, bool RequiresApiKey, IProviderAdapter Adapter);
