namespace LlmGate.Keys;

/// <summary>
/// One request's row in the spend log (LiteLLM's <c>LiteLLM_SpendLogs</c> fields that matter). Never a prompt or a
/// completion: ids, names, counts, cost and times only.
/// </summary>
internal sealed record SpendLogRow
{
    /// <summary>The call id the client saw as <c>x-litellm-call-id</c>; the primary key.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>acompletion</c>, <c>atext_completion</c>, <c>aembedding</c>...</summary>
    public required string CallType { get; init; }

    /// <summary>The key's SHA-256 hex; empty for the master key or an open gateway.</summary>
    public string ApiKey { get; init; } = "";

    public string? KeyAlias { get; init; }

    public double Spend { get; init; }

    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    public long TotalTokens { get; init; }

    public DateTimeOffset StartTime { get; init; }

    public DateTimeOffset EndTime { get; init; }

    /// <summary>The upstream model of the deployment that answered (<c>litellm_params.model</c> without its prefix).</summary>
    public string? Model { get; init; }

    /// <summary>The deployment's id (<c>model_info.id</c>).</summary>
    public string? ModelId { get; init; }

    /// <summary>The public model name the client asked for.</summary>
    public string? ModelGroup { get; init; }

    /// <summary><c>custom_llm_provider</c>: openai, anthropic, bedrock...</summary>
    public string? Provider { get; init; }

    public string? TeamId { get; init; }

    /// <summary>The key's <c>user_id</c> (LiteLLM's <c>user</c> column).</summary>
    public string? UserId { get; init; }

    /// <summary><c>success</c> or <c>failure</c>.</summary>
    public required string Status { get; init; }
}
