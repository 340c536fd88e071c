using LlmGate.Configuration;

namespace LlmGate.Routing;

/// <summary>The config and the routing table built from it: one immutable object the request path reads.</summary>
internal sealed class GatewaySnapshot(GatewayConfig config, RouteTable routes)
{
    public GatewayConfig Config { get; } = config;

    public RouteTable Routes { get; } = routes;
}
