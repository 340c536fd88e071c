namespace LlmGate.Pricing;

/// <summary>
/// A request's prompt tokens guessed before the call, from its JSON body's length, for budget reservations: it must
/// err high, since the real count is only known when the answer's usage arrives.
/// </summary>
internal static class PromptTokenEstimate
{
    /// <summary>
    /// UTF-8 bytes per token assumed: 2. BPE tokenizers average about 4 bytes per token on English and 3 on code and
    /// CJK text (3 bytes a character, about a token each); JSON's quotes, keys and escapes add bytes but few tokens.
    /// So 2 overestimates almost any text; base64 images overestimate far more, which only reserves too much.
    /// </summary>
    public const int BytesPerToken = 2;

    public static long FromUtf8Bytes(int bodyBytes) => bodyBytes <= 0 ? 0 : ((long)bodyBytes + BytesPerToken - 1) / BytesPerToken;
}
