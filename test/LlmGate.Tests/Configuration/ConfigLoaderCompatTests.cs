using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderCompatTests
{
    [SharedCompatTheory]
    [MemberData(nameof(CompatFiles))]
    public void Load_RealLiteLlmConfig_HasNoError(string fileName)
    {
        var result = ConfigLoader.Load(Path.Combine(CompatConfigs.Directory!, fileName), TestEnvironment.Plausible);

        Assert.True(!result.HasErrors, string.Join("\n", result.Errors));
        Assert.NotNull(result.Config);
        Assert.Empty(result.MissingVariables);
    }

    public static IEnumerable<object[]> CompatFiles() => CompatConfigs.Files();
}
