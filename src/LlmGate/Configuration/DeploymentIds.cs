using System.Security.Cryptography;
using System.Text;

namespace LlmGate.Configuration;

/// <summary>Stable ids for deployments without <c>model_info.id</c>.</summary>
internal static class DeploymentIds
{
    /// <summary>
    /// A short SHA-256 of model name, model and api_base, so the id survives restarts and reordering. The api key is
    /// left out on purpose: ids appear in response headers and logs, and a hash of a key should not.
    /// </summary>
    public static string Derive(string modelName, string model, string? apiBase, int occurrence)
    {
        var text = $"{modelName}\n{model}\n{apiBase}";
        if (occurrence > 1)
        {
            // Entries that differ only in their key (several keys for one endpoint) get the next id in file order.
            text = $"{text}\n{occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
