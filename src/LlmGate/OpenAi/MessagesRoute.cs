namespace LlmGate.OpenAi;

/// <summary>
/// Marks a request to one of the Anthropic Messages routes (<c>/v1/messages</c>, <c>/anthropic/v1/messages</c>): every
/// error the gateway writes for it, from the key check on, is in Anthropic's shape, which Anthropic's SDKs and Claude
/// Code read and retry on.
/// </summary>
internal sealed class MessagesRoute
{
    public static readonly MessagesRoute Instance = new();

    private MessagesRoute()
    {
    }
}
