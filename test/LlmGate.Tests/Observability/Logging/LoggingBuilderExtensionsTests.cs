using LlmGate.Configuration;
using LlmGate.Observability.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace LlmGate.Tests.Observability.Logging;

public sealed class LoggingBuilderExtensionsTests
{
    private static ServiceProvider Build(bool jsonLogs)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.AddSimpleConsole();
            logging.AddLlmGateLogging(ObservabilityOptions.Default with { JsonLogs = jsonLogs });
        });
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddLlmGateLogging_JsonLogs_JsonFormatterWithScopesAndWarningsToStandardError()
    {
        using var provider = Build(jsonLogs: true);

        var console = provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(JsonLogFormatter.FormatterName, console.FormatterName);
        Assert.Equal(LogLevel.Warning, console.LogToStandardErrorThreshold);
        Assert.True(provider.GetRequiredService<IOptionsMonitor<JsonLogFormatterOptions>>().CurrentValue.IncludeScopes);
        Assert.Contains(provider.GetServices<ConsoleFormatter>(), formatter => formatter is JsonLogFormatter);
    }

    [Fact]
    public void AddLlmGateLogging_Off_ConsoleLeftAsItWas()
    {
        using var provider = Build(jsonLogs: false);

        var console = provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(ConsoleFormatterNames.Simple, console.FormatterName);
        Assert.Equal(LogLevel.None, console.LogToStandardErrorThreshold);
        Assert.DoesNotContain(provider.GetServices<ConsoleFormatter>(), formatter => formatter is JsonLogFormatter);
    }

    [Fact]
    public void AddLlmGateLogging_Off_HostingDiagnosticsLoggerDisabled()
    {
        using var provider = Build(jsonLogs: false);

        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(global::LlmGate.Observability.Logging.LoggingBuilderExtensions.HostingDiagnostics);
        Assert.False(logger.IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void AddLlmGateLogging_JsonLogs_HostingDiagnosticsLoggerKeptForRequestAndTraceIds()
    {
        using var provider = Build(jsonLogs: true);

        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(global::LlmGate.Observability.Logging.LoggingBuilderExtensions.HostingDiagnostics);
        Assert.True(logger.IsEnabled(LogLevel.Critical));
    }
}
