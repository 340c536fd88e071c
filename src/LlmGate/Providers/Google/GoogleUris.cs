namespace LlmGate.Providers.Google;

/// <summary>Google's method URLs: <c>{model URL}:{method}</c>, streams with <c>?alt=sse</c> (without it Google streams one JSON array).</summary>
internal static class GoogleUris
{
    public static Uri Method(string modelUrl, string method, bool stream) =>
        new(string.Concat(modelUrl.TrimEnd('/'), ":", method, stream ? "?alt=sse" : ""), UriKind.Absolute);

    /// <summary>
    /// Why a configured <c>api_base</c> cannot take a method (one without a path, <c>http://host:port</c>, would become
    /// the port <c>port:generateContent</c>); null when it can. The URL itself is not repeated: it may hold a credential.
    /// </summary>
    public static string? ModelUrlProblem(string? modelUrl) =>
        modelUrl is null || Uri.TryCreate(string.Concat(modelUrl.TrimEnd('/'), ":generateContent"), UriKind.Absolute, out _)
            ? null
            : "its api_base must be the URL up to and including the model (…/models/<model>), to which the method is appended as ':generateContent', as LiteLLM does";
}
