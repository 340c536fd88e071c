namespace LlmGate.Providers.Google;

/// <summary>
/// A <c>vertex_ai/</c> deployment as LiteLLM reads it: project, location (<c>global</c> uses the global host), the
/// credentials its tokens come from, and optionally an <c>api_base</c> that is the URL up to and including the model.
/// </summary>
internal sealed class VertexSettings : IProviderSettings
{
    public const string DefaultLocation = "us-central1";

    private readonly string? _modelUrl;
    private readonly string _host;

    public VertexSettings(string? project, string location, GoogleAccessTokens tokens, string? modelUrl)
    {
        Project = project;
        Location = location;
        Tokens = tokens;
        _modelUrl = modelUrl;
        _host = location == "global" ? "https://aiplatform.googleapis.com" : $"https://{location}-aiplatform.googleapis.com";
        PublicApiBase = (modelUrl ?? _host).TrimEnd('/');
        UnusableReason = project is null && modelUrl is null
            ? "it has no Google Cloud project: set litellm_params.vertex_project or the environment variable VERTEXAI_PROJECT, or use credentials that name one"
            : GoogleUris.ModelUrlProblem(modelUrl);
    }

    public string? Project { get; }

    public string Location { get; }

    public GoogleAccessTokens Tokens { get; }

    public string? UnusableReason { get; }

    public string? PublicApiBase { get; }

    /// <param name="publisher"><c>google</c> for Gemini and Google's embeddings, <c>anthropic</c> for Claude.</param>
    public Uri MethodUri(string publisher, string model, string method, bool stream)
    {
        if (_modelUrl is not null)
        {
            return GoogleUris.Method(_modelUrl, method, stream);
        }

        // An all-digit model is a tuned model's endpoint, as in LiteLLM.
        var resource = model.Length > 0 && model.All(char.IsAsciiDigit)
            ? $"endpoints/{model}"
            : $"publishers/{publisher}/models/{Uri.EscapeDataString(model)}";
        return GoogleUris.Method($"{_host}/v1/projects/{Uri.EscapeDataString(Project!)}/locations/{Uri.EscapeDataString(Location)}/{resource}", method, stream);
    }
}
