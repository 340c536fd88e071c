namespace LlmGate.Testing;

/// <summary>
/// Where Anthropic's Messages API is served, and what that changes in a request body: Anthropic's own API takes the
/// <c>model</c> in the body; Vertex AI and Bedrock take it in the URL and want an <c>anthropic_version</c> of theirs in
/// the body; Bedrock also picks streaming by its URL (<c>invoke-with-response-stream</c>), so <c>stream</c> is refused,
/// and words its schema refusals as Bedrock does (<c>Malformed input request: #: extraneous key [stream] is not permitted…</c>).
/// </summary>
internal sealed class AnthropicDialect
{
    // Before the dialects, which are built from them.
    private static readonly string[] CommonFields =
    [
        "messages", "max_tokens", "system", "stop_sequences", "temperature", "top_p", "top_k", "metadata", "tools", "tool_choice",
        "thinking", "service_tier",
    ];

    /// <summary>Anthropic's <c>/v1/messages</c>.</summary>
    public static readonly AnthropicDialect Direct = new(null, modelInBody: true, streamInBody: true, bedrockWords: false);

    /// <summary>Vertex AI's <c>rawPredict</c>/<c>streamRawPredict</c>.</summary>
    public static readonly AnthropicDialect Vertex = new("vertex-2023-10-16", modelInBody: false, streamInBody: true, bedrockWords: false);

    /// <summary>Bedrock's <c>invoke</c>/<c>invoke-with-response-stream</c>.</summary>
    public static readonly AnthropicDialect Bedrock = new("bedrock-2023-05-31", modelInBody: false, streamInBody: false, bedrockWords: true);

    private readonly bool _bedrockWords;

    private AnthropicDialect(string? bodyVersion, bool modelInBody, bool streamInBody, bool bedrockWords)
    {
        BodyVersion = bodyVersion;
        ModelInBody = modelInBody;
        _bedrockWords = bedrockWords;
        HashSet<string> fields = [.. CommonFields, .. modelInBody ? ["model"] : Array.Empty<string>(), .. streamInBody ? ["stream"] : Array.Empty<string>(),
            .. bodyVersion is null ? Array.Empty<string>() : ["anthropic_version", "anthropic_beta"]];
        Fields = fields;
    }

    /// <summary>The <c>anthropic_version</c> the body must carry, or null when it comes as a header.</summary>
    public string? BodyVersion { get; }

    /// <summary>Whether the body names the model (otherwise the URL does).</summary>
    public bool ModelInBody { get; }

    /// <summary>The top-level fields a body may have.</summary>
    public IReadOnlySet<string> Fields { get; }

    /// <summary>The refusal of a field the body may not have.</summary>
    public string ExtraField(string name) => _bedrockWords
        ? $"Malformed input request: #: extraneous key [{name}] is not permitted, please reformat your input and try again."
        : $"{name}: Extra inputs are not permitted";

    /// <summary>The refusal of a body without a field it needs.</summary>
    public string MissingField(string name) => _bedrockWords
        ? $"Malformed input request: #: required key [{name}] not found, please reformat your input and try again."
        : $"{name}: Field required";
}
