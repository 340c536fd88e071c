using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>The management API's log messages. Keys appear by <c>key_name</c> (<c>sk-...abcd</c>) only.</summary>
internal static partial class KeyManagementLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Virtual key {KeyName} created (alias {KeyAlias}, team {TeamId})")]
    public static partial void KeyCreated(ILogger logger, string keyName, string? keyAlias, string? teamId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Virtual key {OldKeyName} regenerated as {NewKeyName}")]
    public static partial void KeyRegenerated(ILogger logger, string oldKeyName, string newKeyName);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "{Count} virtual key(s) deleted")]
    public static partial void KeysDeleted(ILogger logger, int count);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Management route {Route} failed: the {StoreKind} key store is unavailable")]
    public static partial void StoreUnavailable(ILogger logger, string route, string storeKind, Exception exception);
}
