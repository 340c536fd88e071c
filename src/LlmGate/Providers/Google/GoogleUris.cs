namespace LlmGate.Providers.Google;

/// <summary>Google's method URLs: <c>{model URL}:{method}</c>, streams with <c>?alt=sse</c> (without it Google streams one JSON array).</summary>
internal static class GoogleUris
{
    public static Uri Method(string modelUrl, string method, bool stream) =>
        new(string.Concat(modelUrl.TrimEnd('/'), ":", method, stream ? "?alt=sse" : ""), UriKind.Absolute);
}
