using System.Text;

namespace LlmGate.Providers;

/// <summary>
/// Response ids as LiteLLM makes them: <c>resp_</c> + base64 of
/// <c>litellm:custom_llm_provider:{provider};model_id:{deployment id};response_id:{upstream id}</c>, so that
/// <c>GET</c>/<c>DELETE /v1/responses/{id}</c> and <c>previous_response_id</c> find the deployment that holds the
/// response, on any replica, with no state kept (and ids LiteLLM handed out work here for the same deployment ids).
/// </summary>
internal static class ResponseIds
{
    private const string Prefix = "resp_";

    public static string Encode(string provider, string deploymentId, string upstreamId) =>
        Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes($"litellm:custom_llm_provider:{provider};model_id:{deploymentId};response_id:{upstreamId}"));

    /// <summary>The deployment id and the upstream's own id; false for an id the gateway did not make.</summary>
    public static bool TryDecode(string id, out string deploymentId, out string upstreamId)
    {
        deploymentId = upstreamId = "";
        if (!id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(id[Prefix.Length..]));
        }
        catch (FormatException)
        {
            return false;
        }

        const string ModelPart = ";model_id:";
        const string ResponsePart = ";response_id:";
        var model = text.IndexOf(ModelPart, StringComparison.Ordinal);
        var response = text.IndexOf(ResponsePart, StringComparison.Ordinal);
        if (!text.StartsWith("litellm:custom_llm_provider:", StringComparison.Ordinal) || model < 0 || response < model)
        {
            return false;
        }

        deploymentId = text[(model + ModelPart.Length)..response];
        upstreamId = text[(response + ResponsePart.Length)..];
        return deploymentId.Length > 0 && upstreamId.Length > 0;
    }
}
