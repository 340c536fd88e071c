namespace LlmGate.Configuration;

/// <summary>
/// An OpenAI request parameter a deployment's <c>litellm_params</c> sets (<c>temperature: 0.2</c>): LiteLLM passes it
/// as a default that the request's own top-level value replaces. Encoded once at load, ready to be spliced into a body.
/// </summary>
/// <param name="Name">The top-level property name, e.g. <c>temperature</c>.</param>
/// <param name="Property">The whole property as UTF-8 JSON, <c>"temperature":0.2</c>.</param>
internal sealed record RequestDefault(string Name, byte[] Property)
{
    /// <summary>The name as UTF-8, for comparing with a body's property names without decoding them.</summary>
    public byte[] Utf8Name { get; } = System.Text.Encoding.UTF8.GetBytes(Name);
}
