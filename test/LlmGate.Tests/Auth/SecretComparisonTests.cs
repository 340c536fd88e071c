using LlmGate.Auth;

namespace LlmGate.Tests.Auth;

public sealed class SecretComparisonTests
{
    [Theory]
    [InlineData("sk-master-1234", "sk-master-1234", true)]
    [InlineData("sk-master-1235", "sk-master-1234", false)]
    [InlineData("sk-master-123", "sk-master-1234", false)]
    [InlineData("sk-master-12345", "sk-master-1234", false)]
    [InlineData("sk-master-1234sk-master-1234", "sk-master-1234", false)] // the expected key read cyclically must not match its repeat
    [InlineData("", "sk-master-1234", false)]
    [InlineData("SK-MASTER-1234", "sk-master-1234", false)]
    [InlineData("", "", true)]
    [InlineData("x", "", false)]
    public void FixedTimeEquals_ComparesOrdinally(string presented, string expected, bool equal) =>
        Assert.Equal(equal, SecretComparison.FixedTimeEquals(presented, expected));
}
