using System.Globalization;
using LlmGate.Secrets;
using OpenTelemetry.Trace;

namespace LlmGate.Observability.Tracing;

/// <summary>
/// The standard <c>OTEL_TRACES_SAMPLER</c> / <c>OTEL_TRACES_SAMPLER_ARG</c>: which requests are traced. The default,
/// <c>parentbased_always_on</c>, traces every request as LiteLLM does; a busy gateway usually wants
/// <c>parentbased_traceidratio</c> with a ratio such as 0.01, which follows a caller's sampling decision when it sent one.
/// </summary>
internal static class TraceSampling
{
    public const string DefaultSampler = "parentbased_always_on";

    /// <summary>The sampler, and a warning (naming the value) when the variables could not be used as given.</summary>
    public static (Sampler Sampler, string Description, string? Warning) FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        var name = getEnvironmentVariable("OTEL_TRACES_SAMPLER")?.Trim().ToLowerInvariant() is { Length: > 0 } given ? given : DefaultSampler;
        var argument = getEnvironmentVariable("OTEL_TRACES_SAMPLER_ARG")?.Trim();
        string? warning = null;
        var ratio = 1.0;
        if (name.EndsWith("traceidratio", StringComparison.Ordinal) && argument is { Length: > 0 })
        {
            if (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) || ratio is < 0 or > 1)
            {
                warning = $"OTEL_TRACES_SAMPLER_ARG '{Cut(argument)}' is not a ratio from 0 to 1; 1 is used";
                ratio = 1.0;
            }
        }

        Sampler? sampler = name switch
        {
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "traceidratio" => new TraceIdRatioBasedSampler(ratio),
            "parentbased_always_on" => new ParentBasedSampler(new AlwaysOnSampler()),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)),
            _ => null,
        };
        if (sampler is null)
        {
            return (new ParentBasedSampler(new AlwaysOnSampler()), DefaultSampler,
                $"OTEL_TRACES_SAMPLER '{Cut(name)}' is not one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio; {DefaultSampler} is used");
        }

        var description = name.EndsWith("traceidratio", StringComparison.Ordinal) ? $"{name} {ratio.ToString(CultureInfo.InvariantCulture)}" : name;
        return (sampler, description, warning);
    }

    private static string Cut(string text) => SecretScrubber.Truncate(text, 41);
}
