namespace LlmGate.Tests.Testing;

/// <summary>The folder holding <c>LlmGate.slnx</c>, found upwards from the test binaries: in CI's clone, /work/main and worktrees alike.</summary>
internal static class RepositoryRoot
{
    public static readonly string? Path = Find();

    public static string Required => Path ?? throw new InvalidOperationException("LlmGate.slnx not found above " + AppContext.BaseDirectory);

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "LlmGate.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
