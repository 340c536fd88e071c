namespace LlmGate.Configuration;

/// <summary>
/// <c>general_settings.alert_type_config.&lt;type&gt;</c>: with <see cref="Digest"/>, occurrences of the type are not
/// sent one problem at a time but folded into one summary every <see cref="DigestInterval"/>.
/// </summary>
internal sealed record AlertTypeSettings(bool Digest, TimeSpan DigestInterval)
{
    public static readonly TimeSpan DefaultDigestInterval = TimeSpan.FromSeconds(86400);
}
