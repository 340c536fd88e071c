using LlmGate.Providers.Aws;
using LlmGate.Providers.Cloudflare;
using LlmGate.Providers.Cohere;
using LlmGate.Providers.Google;

namespace LlmGate.Providers;

/// <summary>
/// The adapters registered in DI, by <see cref="IProviderAdapter.Name"/>; a later registration of a name takes the
/// place of an earlier one (as DI resolves a single service), so a host or test can swap an adapter.
/// </summary>
internal sealed class ProviderAdapters
{
    private readonly Dictionary<string, IProviderAdapter> _byName = new(StringComparer.Ordinal);

    public ProviderAdapters(IEnumerable<IProviderAdapter> adapters)
    {
        foreach (var adapter in adapters)
        {
            _byName[adapter.Name] = adapter;
        }
    }

    /// <summary>The built-in adapters on the system clock, for code that runs without a host (tools, benchmarks, tests).</summary>
    public static ProviderAdapters CreateDefault(TimeProvider time) =>
        new([
            new OpenAiCompatibleAdapter(), new AzureOpenAiAdapter(), new AzureAiAdapter(), new AnthropicAdapter(time), new GeminiAdapter(time),
            new VertexAiAdapter(time), new BedrockAdapter(time), new CohereAdapter(time), new CloudflareAdapter(time),
        ]);

    public IProviderAdapter For(string name) =>
        _byName.TryGetValue(name, out var adapter) ? adapter : throw new InvalidOperationException($"No provider adapter named '{name}' is registered.");
}
