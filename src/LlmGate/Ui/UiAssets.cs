using System.Collections.Frozen;
using System.Security.Cryptography;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmGate.Ui;

/// <summary>
/// <c>GET /ui/assets/{name}</c>: the console's stylesheet, script and images, from the binary's embedded resources
/// (no CDN, works offline), cached for an hour and revalidated by ETag. Anything else is 404.
/// </summary>
internal static class UiAssets
{
    private const string ResourcePrefix = "LlmGate.Ui.Assets.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, Asset>> All = new(Load);

    public static IEndpointRouteBuilder MapUiAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ui/assets/{name}", PlainHandlers.Writing(context =>
        {
            if (!All.Value.TryGetValue(context.RouteValue("name"), out var asset))
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "public, max-age=3600";
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers.ETag = asset.ETag;
            return context.Request.Headers.IfNoneMatch.Contains(asset.ETag)
                ? Results.StatusCode(StatusCodes.Status304NotModified)
                : Results.Bytes(asset.Content, asset.ContentType);
        }));
        return endpoints;
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(UiAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                || !ContentTypes.TryGetValue(Path.GetExtension(resource), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8)) + "\"";
            assets[resource[ResourcePrefix.Length..]] = new Asset(content, contentType, etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
