using System.Text.RegularExpressions;

namespace LlmGate.Tests.Testing;

/// <summary>
/// The Redis tests of both test projects share CI's one Redis and run side by side; each class flushes its database
/// first. Two classes on one database wipe each other's keys mid-test (ConditionClaimsTests once read a claim that
/// RedisSilenceSyncTests had just flushed), so every class keeps a database of its own.
/// </summary>
public sealed partial class RedisDatabasesTests
{
    [Fact]
    public void EveryRedisTestClass_HasADatabaseOfItsOwn()
    {
        var root = RepositoryRoot.Required;
        var databases = Directory.EnumerateFiles(Path.Combine(root, "test"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (File: Path.GetRelativePath(root, path), Match: DatabaseConstant().Match(File.ReadAllText(path))))
            .Where(found => found.Match.Success)
            .ToList();

        Assert.True(databases.Count >= 8, $"only {databases.Count} Redis test classes found");
        var shared = databases
            .GroupBy(found => found.Match.Groups["number"].Value, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => $"database {group.Key}: {string.Join(", ", group.Select(found => found.File))}")
            .ToList();
        Assert.True(shared.Count == 0, string.Join("; ", shared));
    }

    [GeneratedRegex(@"const int Database = (?<number>\d+);")]
    private static partial Regex DatabaseConstant();
}
