using LlmGate.Secrets;

namespace LlmGate.Tests.Secrets;

public sealed class SecretScrubberTests
{
    [Theory]
    [InlineData("Incorrect API key provided: sk-proj-********************************************Q2x9. You can find your API key at https://platform.openai.com/account/api-keys.",
        "Incorrect API key provided: sk-[redacted]. You can find your API key at https://platform.openai.com/account/api-keys.")]
    [InlineData("Incorrect API key provided: sk-upstr*****Ys.", "Incorrect API key provided: sk-[redacted].")]
    [InlineData("Incorrect API key provided: Bearer sk-upstream-openai-SECRET123. You can find your key", "Incorrect API key provided: Bearer [redacted]. You can find your key")]
    [InlineData("key (sk-abc...xyz), then", "key (sk-[redacted]), then")]
    [InlineData("with 'Bearer abc=' set", "with 'Bearer [redacted]' set")]
    [InlineData("upstream said: Authorization: Bearer abc.def.ghi was refused", "upstream said: Authorization: [redacted] was refused")]
    [InlineData("token Bearer eyJhbGciOi expired", "token Bearer [redacted] expired")]
    [InlineData("The model `gpt-9` does not exist.", "The model `gpt-9` does not exist.")]
    public void RedactCredentials_UpstreamMessages_KeysGoneRestKept(string message, string expected) =>
        Assert.Equal(expected, SecretScrubber.RedactCredentials(message));
}
