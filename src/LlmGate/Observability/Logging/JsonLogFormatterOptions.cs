using Microsoft.Extensions.Logging.Console;

namespace LlmGate.Observability.Logging;

/// <summary>
/// The options of <see cref="JsonLogFormatter"/>: only <see cref="ConsoleFormatterOptions.IncludeScopes"/> is read
/// (timestamps are always ISO-8601 UTC, as a log shipper expects).
/// </summary>
internal sealed class JsonLogFormatterOptions : ConsoleFormatterOptions
{
}
