namespace LlmGate.Providers.Cloudflare;

/// <summary>
/// Where a <c>cloudflare/</c> deployment's calls go, as LiteLLM builds it: the run prefix (<c>api_base</c> or
/// <c>CLOUDFLARE_API_BASE</c>, else <c>https://api.cloudflare.com/client/v4/accounts/{CLOUDFLARE_ACCOUNT_ID}/ai/run/</c>)
/// with the model appended (<c>@cf/meta/llama-3.1-8b-instruct</c>).
/// </summary>
internal sealed class CloudflareSettings : IProviderSettings
{
    public const string ApiRoot = "https://api.cloudflare.com/client/v4";

    private readonly string? _runPrefix;

    /// <param name="runPrefix">The URL up to and including <c>/ai/run/</c>; null when neither an <c>api_base</c> nor an account id says it.</param>
    public CloudflareSettings(string? runPrefix)
    {
        _runPrefix = runPrefix is null ? null : runPrefix.TrimEnd('/') + "/";
        PublicApiBase = runPrefix?.TrimEnd('/');
        UnusableReason = runPrefix is null
            ? "it has no Cloudflare account: set the environment variable CLOUDFLARE_ACCOUNT_ID, or litellm_params.api_base to the URL up to and including /ai/run/"
            : null;
    }

    public string? UnusableReason { get; }

    public string? PublicApiBase { get; }

    public static string RunPrefix(string accountId) => $"{ApiRoot}/accounts/{Uri.EscapeDataString(accountId)}/ai/run/";

    /// <summary>The model's run URL: the prefix and the model as it is (its '/' and '@' are path characters).</summary>
    public Uri RunUri(string model) => new(_runPrefix + model.TrimStart('/'), UriKind.Absolute);
}
