using System.Text.Json.Nodes;
using LlmGate.Alerting;
using LlmGate.Alerting.Chat;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting.Chat;

public sealed class DiscordMessageRendererTests
{
    [Fact]
    public void Render_Notice_EmbedWithFieldsAndNoMentions()
    {
        var json = DiscordMessageRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Exceptions()));

        var message = JsonNode.Parse(json)!.AsObject();
        Assert.Empty(FakeDiscord.Validate(message));
        Assert.Equal("LlmGate", (string?)message["username"]);
        Assert.Equal("LLM API exception", (string?)message["content"]);
        Assert.Empty(message["allowed_mentions"]!["parse"]!.AsArray());
        var embed = message["embeds"]!.AsArray().Single()!;
        Assert.Equal("🟠 LLM API exception", (string?)embed["title"]);
        Assert.Equal(DiscordMessageRenderer.Orange, (int)embed["color"]!);
        Assert.Equal("llm_exceptions", (string?)embed["footer"]!["text"]);
        Assert.Equal("2026-03-01T12:00:00.000Z", (string?)embed["timestamp"]);
        Assert.Equal(["Alert type", "Model group", "Deployment"], embed["fields"]!.AsArray().Select(f => (string?)f!["name"]));
        var description = (string)embed["description"]!;
        Assert.StartsWith("gpt-4o failed 3 times: <b>upstream</b> & friends\n\n**Recent errors**\n```\n", description, StringComparison.Ordinal);
        Assert.EndsWith("[Runbook](https://runbooks.example.com/llm?a=1&b=2)", description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Critical", DiscordMessageRenderer.Red)]
    [InlineData("Warning", DiscordMessageRenderer.Orange)]
    [InlineData("Info", DiscordMessageRenderer.Yellow)]
    public void Render_Severity_ColourByLevel(string severity, int colour)
    {
        var json = DiscordMessageRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Exceptions(Enum.Parse<AlertSeverity>(severity))));

        Assert.Equal(colour, (int)JsonNode.Parse(json)!["embeds"]![0]!["color"]!);
    }

    [Fact]
    public void Render_Resolved_Green()
    {
        var json = DiscordMessageRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Resolved()));

        Assert.Equal(DiscordMessageRenderer.Green, (int)JsonNode.Parse(json)!["embeds"]![0]!["color"]!);
    }

    [Fact]
    public void Render_OverEveryLimit_CutToDiscordsLimits()
    {
        var json = DiscordMessageRenderer.Render(ChatSamples.Messages.Build(ChatSamples.Huge()));

        var message = JsonNode.Parse(json)!.AsObject();
        Assert.Empty(FakeDiscord.Validate(message));
        var embed = message["embeds"]![0]!;
        Assert.NotEmpty(embed["fields"]!.AsArray());
        Assert.True(((string)embed["description"]!).Length >= 500);
    }
}
