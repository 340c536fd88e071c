using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace LlmGate.EndToEnd;

/// <summary>The official OpenAI .NET SDK pointed at a gateway, with the SDK's own retries off so each call is one request.</summary>
internal static class GatewayClients
{
    public static OpenAIClientOptions Options(Uri gateway) => new()
    {
        Endpoint = new Uri(gateway, "v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(30),
    };

    public static ChatClient Chat(Uri gateway, string model, string key = "sk-1234") => new(model, new ApiKeyCredential(key), Options(gateway));

    public static EmbeddingClient Embeddings(Uri gateway, string model, string key = "sk-1234") => new(model, new ApiKeyCredential(key), Options(gateway));

    public static OpenAIModelClient Models(Uri gateway, string key = "sk-1234") => new(new ApiKeyCredential(key), Options(gateway));
}
