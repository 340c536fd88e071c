namespace LlmGate.Configuration;

/// <summary>
/// A part of the gateway that keeps settings of its own (not read from the snapshot per request) and takes the new
/// ones when a reload is applied. Called once per applied reload, after the snapshot swap, never concurrently; state
/// (windows, incidents, cooldowns, loads) stays where it is, keyed by ids the reload does not change.
/// </summary>
internal interface IConfigReloadListener
{
    void OnConfigReloaded(GatewayConfig previous, GatewayConfig current);
}
