using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace LlmGate.Tests.Observability.Logging;

/// <summary>A logger that hands every entry to a console formatter, as the console logger does, and keeps the text.</summary>
internal sealed class FormattingLogger(ConsoleFormatter consoleFormatter, string category) : ILogger
{
    private readonly StringWriter _output = new();

    public LoggerExternalScopeProvider Scopes { get; } = new();

    public string Text => _output.ToString();

    public IReadOnlyList<string> Lines => Text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => Scopes.Push(state);

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        consoleFormatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), Scopes, _output);
}
