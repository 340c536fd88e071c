namespace LlmGate.Providers;

/// <summary>A provider's own reading of one deployment (<see cref="IProviderAdapter.Configure"/>), kept on its <see cref="ProviderEndpoint"/>.</summary>
internal interface IProviderSettings
{
    /// <summary>Why calls cannot be made with these settings (no project to call); null when they can.</summary>
    string? UnusableReason { get; }

    /// <summary>The URL shown in <c>x-litellm-model-api-base</c>, when it is not the endpoint's <c>api_base</c>; no credentials, no query.</summary>
    string? PublicApiBase { get; }
}
