using System.Diagnostics;
using LlmGate.Observability.Tracing;
using OpenTelemetry.Trace;

namespace LlmGate.Tests.Observability.Tracing;

public sealed class TraceSamplingTests
{
    [Fact]
    public void NoVariables_EveryRootTraced_AndACallersDecisionFollowed()
    {
        var (sampler, description, warning) = TraceSampling.FromEnvironment(_ => null);

        Assert.Equal("parentbased_always_on", description);
        Assert.Null(warning);
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, parent: default));
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, Remote(sampled: false)));
    }

    [Fact]
    public void ParentBasedRatio_SamplesAboutThatShareOfRoots_AndKeepsASampledCallersTrace()
    {
        var (sampler, description, _) = TraceSampling.FromEnvironment(Variables("parentbased_traceidratio", "0.1"));

        var sampled = Enumerable.Range(0, 10_000).Count(_ => Decide(sampler, parent: default) == SamplingDecision.RecordAndSample);

        Assert.Equal("parentbased_traceidratio 0.1", description);
        Assert.InRange(sampled, 800, 1200);
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, Remote(sampled: true)));
    }

    [Theory]
    [InlineData("traceidratio", "1.5", "OTEL_TRACES_SAMPLER_ARG '1.5' is not a ratio from 0 to 1; 1 is used")]
    [InlineData("sometimes", null, "OTEL_TRACES_SAMPLER 'sometimes' is not one of")]
    public void UnusableValues_AreNamedInAWarning_AndTheDefaultTracesEverything(string name, string? argument, string warningStart)
    {
        var (sampler, _, warning) = TraceSampling.FromEnvironment(Variables(name, argument));

        Assert.StartsWith(warningStart, warning, StringComparison.Ordinal);
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, parent: default));
    }

    [Fact]
    public void AlwaysOff_TracesNothing()
    {
        var (sampler, _, _) = TraceSampling.FromEnvironment(Variables("always_off", null));

        Assert.Equal(SamplingDecision.Drop, Decide(sampler, Remote(sampled: true)));
    }

    private static Func<string, string?> Variables(string name, string? argument) => variable => variable switch
    {
        "OTEL_TRACES_SAMPLER" => name,
        "OTEL_TRACES_SAMPLER_ARG" => argument,
        _ => null,
    };

    private static ActivityContext Remote(bool sampled) =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);

    private static SamplingDecision Decide(Sampler sampler, ActivityContext parent) =>
        sampler.ShouldSample(new SamplingParameters(parent, ActivityTraceId.CreateRandom(), "chat gpt-4o", ActivityKind.Internal)).Decision;
}
