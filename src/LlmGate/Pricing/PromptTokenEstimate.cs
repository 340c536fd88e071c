namespace LlmGate.Pricing;

/// <summary>An estimate of a request's prompt tokens from its JSON body, erring high.</summary>
internal static class PromptTokenEstimate
{
    public static long FromUtf8Bytes(int bytes) => (bytes + 1) / 2;
}
