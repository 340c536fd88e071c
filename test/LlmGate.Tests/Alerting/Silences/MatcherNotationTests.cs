using LlmGate.Alerting.Silences;

namespace LlmGate.Tests.Alerting.Silences;

public sealed class MatcherNotationTests
{
    [Theory]
    [InlineData("class=llm_api_failure", "class", "llm_api_failure", false, true)]
    [InlineData("class!=llm_api_failure", "class", "llm_api_failure", false, false)]
    [InlineData("model_group=~gpt-4.*", "model_group", "gpt-4.*", true, true)]
    [InlineData("model_group!~gpt-4.*", "model_group", "gpt-4.*", true, false)]
    [InlineData("region=", "region", "", false, true)]
    [InlineData("deployment=\"a,b\"", "deployment", "a,b", false, true)]
    [InlineData(" scope = gateway ", "scope", "gateway", false, true)]
    public void ParseOne_AmtoolNotation_Matcher(string text, string name, string value, bool isRegex, bool isEqual)
    {
        var matcher = MatcherNotation.ParseOne(text);

        Assert.Equal((name, value, isRegex, isEqual), (matcher.Name, matcher.Value, matcher.IsRegex, matcher.IsEqual));
    }

    [Fact]
    public void Parse_CommaSeparatedAndRepeated_EveryMatcherInOrder()
    {
        var matchers = MatcherNotation.Parse(["class=llm_api_failure,model_group=~gpt-4o|gpt-4o-mini", "channel=slack"]);

        Assert.Equal(["class=llm_api_failure", "model_group=~gpt-4o|gpt-4o-mini", "channel=slack"], matchers.Select(m => m.ToString()));
    }

    [Fact]
    public void Parse_CommaInsideRegexQuantifier_StaysInTheValue()
    {
        var matchers = MatcherNotation.Parse(["deployment=~d{1,3},class=llm_api_failure"]);

        Assert.Equal(["deployment=~d{1,3}", "class=llm_api_failure"], matchers.Select(m => m.ToString()));
    }

    [Theory]
    [InlineData("class")]
    [InlineData("=x")]
    [InlineData("")]
    [InlineData("team=platform")]
    [InlineData("class=~(unclosed")]
    public void Parse_Malformed_Throws(string text)
    {
        Assert.Throws<FormatException>(() => MatcherNotation.Parse([text]));
    }
}
