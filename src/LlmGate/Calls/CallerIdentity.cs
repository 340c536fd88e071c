namespace LlmGate.Calls;

/// <summary>
/// Who made a call, as authentication established it. Never holds the key itself: <see cref="KeyHash"/> is its SHA-256
/// (hex), the form virtual keys are stored in; a virtual key's team and user come with it, for spend logs and metrics.
/// </summary>
internal sealed record CallerIdentity(CallerKind Kind, string? KeyHash = null, string? KeyAlias = null, string? TeamId = null, string? UserId = null, string? TeamAlias = null)
{
    /// <summary>A gateway without a master key: every caller is let in.</summary>
    public static readonly CallerIdentity Anonymous = new(CallerKind.Anonymous);

    /// <summary>A caller who presented the master key.</summary>
    public static readonly CallerIdentity MasterKey = new(CallerKind.MasterKey);
}
