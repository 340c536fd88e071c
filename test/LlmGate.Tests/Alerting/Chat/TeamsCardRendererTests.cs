using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Alerting;
using LlmGate.Alerting.Chat;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting.Chat;

public sealed class TeamsCardRendererTests
{
    [Fact]
    public void Render_Notice_LiteLlmsAdaptiveCardShape()
    {
        var json = TeamsCardRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Exceptions(AlertSeverity.Critical)));

        Assert.Null(FakeTeams.Validate("application/json", Encoding.UTF8.GetBytes(json)));
        var message = JsonNode.Parse(json)!;
        var attachment = message["attachments"]!.AsArray().Single()!;
        Assert.Null(attachment["contentUrl"]);
        var card = attachment["content"]!;
        Assert.Equal("1.4", (string?)card["version"]);
        Assert.Equal("Full", (string?)card["msteams"]!["width"]);
        var body = card["body"]!.AsArray();
        Assert.Equal("LLM API exception", (string?)body[0]!["text"]);
        Assert.Equal("attention", (string?)body[0]!["color"]);
        Assert.Equal("bolder", (string?)body[0]!["weight"]);
        Assert.Equal("gpt-4o failed 3 times: <b>upstream</b> & friends", (string?)body[1]!["text"]);
        Assert.Equal(["Alert type", "Model group", "Deployment"], body[2]!["facts"]!.AsArray().Select(f => (string?)f!["title"]));
        Assert.Equal("monospace", (string?)body.Single(b => b!["fontType"] is not null)!["fontType"]);
        Assert.Equal(["Gateway status", "Runbook"], card["actions"]!.AsArray().Select(a => (string?)a!["title"]));
        Assert.All(card["actions"]!.AsArray(), a => Assert.Equal("Action.OpenUrl", (string?)a!["type"]));
    }

    [Fact]
    public void Render_ResolvedAndMedium_GoodAndWarning()
    {
        var resolved = TeamsCardRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Resolved()));
        var medium = TeamsCardRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Exceptions(AlertSeverity.Warning)));

        Assert.Equal("good", (string?)JsonNode.Parse(resolved)!["attachments"]![0]!["content"]!["body"]![0]!["color"]);
        Assert.Equal("warning", (string?)JsonNode.Parse(medium)!["attachments"]![0]!["content"]!["body"]![0]!["color"]);
    }

    [Fact]
    public void Render_OverEveryLimit_UnderTeamsSize()
    {
        var json = TeamsCardRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Huge()));

        Assert.Null(FakeTeams.Validate("application/json", Encoding.UTF8.GetBytes(json)));
    }
}
