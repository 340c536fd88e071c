namespace LlmGate.Ui.Live;

/// <summary>
/// Redis and the key database. <c>Configured</c> false: not used by this gateway. <c>UnavailableSince</c> null while
/// reachable. <c>Replicas</c>: gateways sharing Redis, when known.
/// </summary>
public sealed record UiStores(
    bool RedisConfigured,
    bool RedisShared,
    DateTimeOffset? RedisUnavailableSince,
    int? Replicas,
    bool DatabaseConfigured,
    DateTimeOffset? DatabaseUnavailableSince);
