using System.Text;
using LlmGate.Secrets;

namespace LlmGate.Tests.Secrets;

public sealed class PromptEchoTests
{
    private const string Body = """{"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"tell me the launch codes, line\none"}],"user":"u1"}""";

    [Theory]
    [InlineData("input: tell me the launch codes, line\none.", "input: [prompt].")]
    [InlineData("""{"input": "tell me the launch codes, line\none"}""", """{"input": "[prompt]"}""")] // echoed JSON-escaped
    [InlineData("starts: tell me the launch co…", "starts: [prompt]…")] // an echo cut short
    [InlineData("twice: tell me the launch codes / tell me the launch codes", "twice: [prompt] / [prompt]")]
    [InlineData("The model `gpt-4o-mini-2024-07-18` does not exist.", "The model `gpt-4o-mini-2024-07-18` does not exist.")] // model is config, kept
    [InlineData("tell me a joke instead", "tell me a joke instead")] // under 12 characters in common
    public void Redact_EchoesOfTheRequestsText_BecomePrompt(string message, string expected) =>
        Assert.Equal(expected, PromptEcho.Redact(message, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void Redact_BodyCutShort_WhatWasReadIsStillRedacted() =>
        Assert.Equal("[prompt] and more", PromptEcho.Redact("tell me the launch codes, line\none and more", Encoding.UTF8.GetBytes(Body)[..^10]));
}
