namespace LlmGate.Auth;

/// <summary>Compares a presented secret with the configured one in time that tells nothing about the configured one.</summary>
internal static class SecretComparison
{
    /// <summary>
    /// True when <paramref name="presented"/> equals <paramref name="expected"/> ordinally. The loop runs over the presented
    /// value (whose length the caller already knows) and reads the expected one cyclically, with no early exit, so
    /// neither the configured secret's content nor its length shows in the time taken; nothing is allocated or hashed.
    /// </summary>
    public static bool FixedTimeEquals(ReadOnlySpan<char> presented, string expected)
    {
        if (expected.Length == 0)
        {
            return presented.IsEmpty;
        }

        var difference = presented.Length ^ expected.Length;
        var j = 0;
        for (var i = 0; i < presented.Length; i++)
        {
            difference |= presented[i] ^ expected[j];
            j = j + 1 == expected.Length ? 0 : j + 1;
        }

        return difference == 0;
    }
}
