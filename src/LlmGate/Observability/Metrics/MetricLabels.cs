using LlmGate.Calls;
using LlmGate.Routing;

namespace LlmGate.Observability.Metrics;

/// <summary>Label values as LiteLLM writes them: "None" where it has no value, a key only as its hash.</summary>
internal static class MetricLabels
{
    public const string None = "None";

    /// <summary>What the cardinality cap folds caller and model labels into.</summary>
    public const string Other = "other";

    /// <summary>hashed_api_key, api_key_alias, team, team_alias, user.</summary>
    public static string[] Caller(CallerIdentity caller) => caller.Kind switch
    {
        // LiteLLM labels the master key's calls with its hash; a fixed name says the same without a hash of the secret.
        CallerKind.MasterKey => ["master_key", None, None, None, "default_user_id"],
        CallerKind.VirtualKey => [caller.KeyHash ?? None, caller.KeyAlias ?? None, caller.TeamId ?? None, caller.TeamAlias ?? None, caller.UserId ?? None],
        _ => [None, None, None, None, None],
    };

    /// <summary>litellm_model_name, model_id, api_base, api_provider; api_base without credentials or query.</summary>
    public static string[] Deployment(Deployment deployment) =>
        [deployment.Config.Model, deployment.Id, deployment.Endpoint.PublicApiBase ?? None, deployment.ProviderName];

    /// <summary>The routes a call is labelled with: what was called, never the raw path (which may hold a deployment name).</summary>
    public static readonly string[] Routes = ["/v1/chat/completions", "/v1/completions", "/v1/embeddings"];

    /// <summary>The index in <see cref="Routes"/> of a call of LiteLLM's <paramref name="callType"/>.</summary>
    public static int Route(string callType) => callType switch
    {
        "atext_completion" => 1,
        "aembedding" => 2,
        _ => 0,
    };

    /// <summary>LiteLLM's exception class names (the OpenAI SDK's), from the status and what failed.</summary>
    public static string ExceptionClass(int status, FailureKind? kind) => kind switch
    {
        FailureKind.Timeout => "Timeout",
        FailureKind.ConnectionFailure => "APIConnectionError",
        _ => status switch
        {
            400 => "BadRequestError",
            401 => "AuthenticationError",
            403 => "PermissionDeniedError",
            404 => "NotFoundError",
            408 => "Timeout",
            413 => "BadRequestError",
            422 => "UnprocessableEntityError",
            429 => "RateLimitError",
            500 => "InternalServerError",
            503 => "ServiceUnavailableError",
            _ => "APIError",
        },
    };
}
