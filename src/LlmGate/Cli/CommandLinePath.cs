namespace LlmGate.Cli;

/// <summary>
/// A path option as it was typed and as it is used: a relative path means relative to the directory the command was
/// run in, resolved once after parsing so nothing downstream depends on the process's current directory.
/// </summary>
internal sealed record CommandLinePath(string Given, string BaseDirectory, string FullPath)
{
    /// <summary><paramref name="given"/> made absolute against <paramref name="baseDirectory"/> (itself absolute).</summary>
    public static CommandLinePath Resolve(string given, string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(given);
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        return new CommandLinePath(given, baseDirectory, Path.GetFullPath(given, baseDirectory));
    }

    /// <summary>How the path was written, for messages: <c>examples/config.yaml relative to /home/me</c>; null when it was absolute.</summary>
    public string? Origin => Path.IsPathRooted(Given) ? null : $"{Given} relative to {BaseDirectory}";

    public override string ToString() => FullPath;
}
