using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>The key stores' log messages (event ids 7400-7449). None carries a key, a password or a connection string.</summary>
internal static partial class KeyStoreLog
{
    [LoggerMessage(7401, LogLevel.Information, "Key store ({Kind}, {Target}): applied schema migration {Version}")]
    public static partial void MigrationApplied(ILogger logger, string kind, string target, int version);
}
