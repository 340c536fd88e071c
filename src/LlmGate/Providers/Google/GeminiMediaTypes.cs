namespace LlmGate.Providers.Google;

/// <summary>
/// The MIME type Gemini's <c>fileData</c> must name for a file it fetches itself (an http(s) or <c>gs://</c> URL),
/// inferred from the URL path's extension as LiteLLM infers it.
/// </summary>
internal static class GeminiMediaTypes
{
    /// <summary>What an <c>image_url</c> whose extension says nothing most likely is.</summary>
    public const string DefaultImage = "image/jpeg";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".heic"] = "image/heic",
        [".heif"] = "image/heif",
        [".pdf"] = "application/pdf",
        [".txt"] = "text/plain",
        [".mp4"] = "video/mp4",
        [".mov"] = "video/mov",
        [".mpeg"] = "video/mpeg",
        [".mpg"] = "video/mpg",
        [".webm"] = "video/webm",
        [".wmv"] = "video/wmv",
        [".flv"] = "video/x-flv",
        [".3gp"] = "video/3gpp",
        [".mp3"] = "audio/mp3",
        [".wav"] = "audio/wav",
        [".aac"] = "audio/aac",
        [".flac"] = "audio/flac",
        [".ogg"] = "audio/ogg",
        [".m4a"] = "audio/m4a",
    };

    public static string? FromUrl(string url)
    {
        // The path alone: a signed URL's query (?X-Goog-Signature=...) or a fragment says nothing about the type.
        var end = url.AsSpan().IndexOfAny('?', '#');
        var path = end < 0 ? url : url[..end];
        var extension = Path.GetExtension(path);
        return ByExtension.GetValueOrDefault(extension);
    }
}
