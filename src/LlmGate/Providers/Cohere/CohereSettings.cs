namespace LlmGate.Providers.Cohere;

/// <summary>
/// Where a <c>cohere/</c> or <c>cohere_chat/</c> deployment's calls go. LiteLLM's <c>api_base</c> for Cohere is the full
/// chat URL (<c>https://api.cohere.com/v2/chat</c>); LlmGate also takes the server root or <c>…/v2</c> and appends what is
/// missing, so one <c>api_base</c> serves <c>/v2/chat</c>, <c>/v2/embed</c> and <c>/v2/rerank</c>.
/// </summary>
internal sealed class CohereSettings : IProviderSettings
{
    public const string DefaultChatUrl = "https://api.cohere.com/v2/chat";

    public CohereSettings(Uri? apiBase, string upstreamModel)
    {
        var root = (apiBase?.GetLeftPart(UriPartial.Path) ?? DefaultChatUrl).TrimEnd('/');
        foreach (var suffix in (ReadOnlySpan<string>)["/v2/chat", "/v2/embed", "/v2/rerank", "/v2"])
        {
            if (root.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                root = root[..^suffix.Length];
                break;
            }
        }

        ChatUri = new Uri(root + "/v2/chat");
        EmbedUri = new Uri(root + "/v2/embed");
        RerankUri = new Uri(root + "/v2/rerank");
        UnusableReason = IsV1(upstreamModel) ? V1Refusal(upstreamModel) : null;
    }

    public Uri ChatUri { get; }

    public Uri EmbedUri { get; }

    public Uri RerankUri { get; }

    /// <summary>A <c>v1/</c> model: LiteLLM sends it to Cohere's v1 chat API, which LlmGate does not speak.</summary>
    public string? UnusableReason { get; }

    public string? PublicApiBase => null;

    /// <summary>LiteLLM's marker of Cohere's v1 chat API: <c>cohere_chat/v1/command-a-03-2025</c>.</summary>
    public static bool IsV1(string model) => model.StartsWith("v1/", StringComparison.OrdinalIgnoreCase);

    public static string V1Refusal(string model) =>
        $"Cohere's v1 chat API (model '{model}') is not supported by LlmGate; name the model without 'v1/' to use Cohere's v2 API";
}
