using LlmGate.Configuration;

namespace LlmGate.Routing;

/// <summary>Hands a reloaded <c>router_settings</c> to the two router parts built with it; cooldowns in progress keep their end.</summary>
internal sealed class RouterReloadListener(DeploymentPicker picker, InMemoryCooldownStore cooldowns) : IConfigReloadListener
{
    public void OnConfigReloaded(GatewayConfig previous, GatewayConfig current)
    {
        ArgumentNullException.ThrowIfNull(current);
        picker.Reconfigure(current.Router);
        cooldowns.Reconfigure(current.Router);
    }
}
