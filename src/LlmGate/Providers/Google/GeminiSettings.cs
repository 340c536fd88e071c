namespace LlmGate.Providers.Google;

/// <summary>
/// Where a <c>gemini/</c> deployment's calls go. A configured <c>api_base</c> is, as in LiteLLM, the URL up to and
/// including the model (<c>…/models/gemini-2.5-flash</c>, how proxies and private endpoints are reached) and the method
/// is appended as <c>:{method}</c>; otherwise the root (<c>GEMINI_API_BASE</c> or Google's) gets <c>/v1beta/models/{model}</c>.
/// </summary>
internal sealed class GeminiSettings(string? modelUrl, string apiRoot) : IProviderSettings
{
    public const string DefaultApiRoot = "https://generativelanguage.googleapis.com";

    public string? UnusableReason { get; } = GoogleUris.ModelUrlProblem(modelUrl);

    public string? PublicApiBase { get; } = (modelUrl ?? apiRoot).TrimEnd('/');

    public Uri MethodUri(string model, string method, bool stream) =>
        GoogleUris.Method(modelUrl ?? $"{apiRoot.TrimEnd('/')}/v1beta/models/{Uri.EscapeDataString(model)}", method, stream);
}
