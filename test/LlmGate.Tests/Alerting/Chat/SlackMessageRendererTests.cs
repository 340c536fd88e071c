using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Alerting;
using LlmGate.Alerting.Chat;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting.Chat;

public sealed class SlackMessageRendererTests
{
    [Fact]
    public void Render_Notice_LiteLlmTextAndBlocksSlackTakes()
    {
        var json = SlackMessageRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Exceptions()));

        Assert.Null(FakeSlack.Validate("application/json", Encoding.UTF8.GetBytes(json)));
        var message = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(
            "Level: `Medium`\nAlert type: `llm_exceptions`\n\nMessage: LLM API exception: gpt-4o failed 3 times: &lt;b&gt;upstream&lt;/b&gt; &amp; friends",
            (string?)message["text"]);
        var blocks = message["blocks"]!.AsArray();
        Assert.Equal(["header", "section", "section", "section", "context", "section"], blocks.Select(b => (string?)b!["type"]));
        Assert.Equal("🟠 LLM API exception", (string?)blocks[0]!["text"]!["text"]);
        var fields = blocks[2]!["fields"]!.AsArray().Select(f => (string?)f!["text"]).ToList();
        Assert.Equal(["*Alert type*\nllm_exceptions", "*Model group*\ngpt-4o", "*Deployment*\nd1 &lt;openai&gt;"], fields);
        var errors = (string)blocks[3]!["text"]!["text"]!;
        Assert.StartsWith("*Recent errors*\n```503 on gpt-4o / d1 (openai): upstream unavailable ''' &amp; &lt;tag&gt;", errors, StringComparison.Ordinal);
        Assert.EndsWith("```", errors, StringComparison.Ordinal);
        Assert.Equal(2, errors.Split("```").Length - 1); // the error's own fence cannot close the block
        Assert.Contains("dedup key `llm_exceptio…`", (string?)blocks[4]!["elements"]![0]!["text"], StringComparison.Ordinal);
        Assert.Equal(
            "<https://gateway.example.com/alerting/status|Gateway status>   <https://runbooks.example.com/llm?a=1&b=2|Runbook>",
            (string?)blocks[5]!["text"]!["text"]);
    }

    [Theory]
    [InlineData("Critical", "🔴")]
    [InlineData("Warning", "🟠")]
    [InlineData("Info", "🟡")]
    public void Render_Severity_HeaderEmojiByLevel(string severity, string emoji)
    {
        var json = SlackMessageRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Exceptions(Enum.Parse<AlertSeverity>(severity))));

        Assert.StartsWith(emoji + " ", (string?)JsonNode.Parse(json)!["blocks"]![0]!["text"]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Resolved_CheckMarkAndLowLevel()
    {
        var json = SlackMessageRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Resolved()));

        var message = JsonNode.Parse(json)!;
        Assert.Equal("✅ Resolved: LLM API exception", (string?)message["blocks"]![0]!["text"]!["text"]);
        Assert.StartsWith("Level: `Low`", (string?)message["text"], StringComparison.Ordinal);
        Assert.Contains("it lasted 5m 0s", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OverEveryLimit_CutToSlacksLimits()
    {
        var json = SlackMessageRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Huge()));

        Assert.Null(FakeSlack.Validate("application/json", Encoding.UTF8.GetBytes(json)));
        var blocks = JsonNode.Parse(json)!["blocks"]!.AsArray();
        Assert.Equal(SlackMessageRenderer.MaxHeader, ((string)blocks[0]!["text"]!["text"]!).Length);
        Assert.Equal(SlackMessageRenderer.MaxSectionText, ((string)blocks[1]!["text"]!["text"]!).Length);
        Assert.Equal(31, blocks.Where(b => b!["fields"] is not null).Sum(b => b!["fields"]!.AsArray().Count)); // every fact, ten a section
        var errors = (string)blocks.Single(b => ((string?)b!["text"]?["text"])?.StartsWith("*Recent errors*", StringComparison.Ordinal) == true)!["text"]!["text"]!;
        Assert.True(errors.Length <= SlackMessageRenderer.MaxSectionText);
        Assert.EndsWith("```", errors, StringComparison.Ordinal);
    }
}
