using LlmGate.Tests.Testing;

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

    // shared/ is the repository's sibling in CI, in /work/main and in worktrees.
    private static string? Locate() =>
        RepositoryRoot.Path is { } root && Path.GetFullPath(Path.Combine(root, "..", "shared", "compat", "litellm-configs")) is var compat
            && System.IO.Directory.Exists(compat)
            ? compat
            : null;
}
