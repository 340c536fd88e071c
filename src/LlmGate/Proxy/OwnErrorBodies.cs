using Microsoft.AspNetCore.Http.Metadata;

namespace LlmGate.Proxy;

/// <summary>
/// Endpoint metadata on every route served by <see cref="ProxyHandler"/>: it writes each error body itself, so these
/// routes skip the status-code-pages middleware (its feature, an Items dictionary and an async frame on every call).
/// </summary>
internal sealed class OwnErrorBodies : ISkipStatusCodePagesMetadata
{
    public static readonly OwnErrorBodies Instance = new();

    private OwnErrorBodies()
    {
    }
}
