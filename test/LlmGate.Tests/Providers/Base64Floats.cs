namespace LlmGate.Tests.Providers;

/// <summary>Reads an embedding sent as <c>encoding_format: "base64"</c>: little-endian float32 values, as the OpenAI SDKs decode it.</summary>
internal static class Base64Floats
{
    public static float[] Decode(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        return [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4))];
    }
}
