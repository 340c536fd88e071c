using LlmGate.Cli;

namespace LlmGate.Tests.Cli;

public sealed class CommandLinePathTests
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "llmgate-base", "here");

    [Fact]
    public void Resolve_RelativePath_IsUnderTheBaseDirectory()
    {
        var path = CommandLinePath.Resolve(Path.Combine("examples", "config.yaml"), Base);

        Assert.Equal(Path.Combine(Base, "examples", "config.yaml"), path.FullPath);
        Assert.Equal($"{Path.Combine("examples", "config.yaml")} relative to {Base}", path.Origin);
    }

    [Fact]
    public void Resolve_ParentSegments_AreNormalized()
    {
        var path = CommandLinePath.Resolve(Path.Combine("..", "config.yaml"), Base);

        Assert.Equal(Path.Combine(Path.GetTempPath(), "llmgate-base", "config.yaml"), path.FullPath);
    }

    [Fact]
    public void Resolve_AbsolutePath_IsKeptAndHasNoOrigin()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "elsewhere", "config.yaml");

        var path = CommandLinePath.Resolve(absolute, Base);

        Assert.Equal(absolute, path.FullPath);
        Assert.Null(path.Origin);
    }
}
