namespace LlmGate.Tests.Configuration;

/// <summary>Finds the real LiteLLM configs in <c>../shared/compat/litellm-configs</c> beside the repository.</summary>
internal static class CompatConfigs
{
    public static readonly string? Directory = Locate();

    public static IEnumerable<object[]> Files() =>
        Directory is null
            ? [["(compat folder missing)"]]
            : System.IO.Directory.EnumerateFiles(Directory, "*.yaml")
                .Select(Path.GetFileName)
                .Order(StringComparer.Ordinal)
                .Select(name => new object[] { name! });

    private static string? Locate()
    {
        // The repository root holds LlmGate.slnx; shared/ is its sibling in CI, in /work/main and in worktrees.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LlmGate.slnx")))
            {
                var compat = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "compat", "litellm-configs"));
                return System.IO.Directory.Exists(compat) ? compat : null;
            }
        }

        return null;
    }
}
