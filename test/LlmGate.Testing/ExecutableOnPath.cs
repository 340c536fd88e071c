namespace LlmGate.Testing;

/// <summary>Finds a program the way a shell would, so tests can skip (saying why) where it is not installed.</summary>
public static class ExecutableOnPath
{
    public static string? Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
