using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>An <c>azure_ai/</c> deployment's URLs and key header, worked out once from its <c>api_base</c> (see <see cref="AzureAiAdapter"/>).</summary>
internal sealed class AzureAiSettings : IProviderSettings
{
    private readonly Uri[] _endpoints;

    /// <param name="apiBase">Ends with '/', as <see cref="ProviderEndpoint.ApiBase"/> does.</param>
    public AzureAiSettings(Uri apiBase, string apiVersion, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiBase);
        var host = apiBase.Host;
        var foundry = host.EndsWith(".services.ai.azure.com", StringComparison.OrdinalIgnoreCase);
        // A Foundry resource's base may already end in /models; the inference API lives there, versioned.
        var root = foundry && !apiBase.AbsolutePath.TrimEnd('/').EndsWith("/models", StringComparison.OrdinalIgnoreCase) ? "models/" : "";
        var query = foundry ? "?api-version=" + Uri.EscapeDataString(apiVersion) : "";
        _endpoints = [new Uri(apiBase, root + "chat/completions" + query), new Uri(apiBase, root + "completions" + query), new Uri(apiBase, root + "embeddings" + query)];
        if (apiKey is not null)
        {
            KeyHeader = foundry || host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase) ? ("api-key", apiKey) : ("Authorization", "Bearer " + apiKey);
        }
    }

    /// <summary>The header that carries the key: <c>api-key</c> on Azure's resource hosts, a bearer elsewhere; null without a key.</summary>
    public (string Name, string Value)? KeyHeader { get; }

    public string? UnusableReason => null;

    public string? PublicApiBase => null;

    public Uri EndpointUri(ProxyEndpointKind kind) => _endpoints[(int)kind];
}
