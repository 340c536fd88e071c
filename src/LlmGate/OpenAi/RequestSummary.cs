namespace LlmGate.OpenAi;

/// <summary>The few fields of a request body the gateway reads; everything else is forwarded as bytes.</summary>
internal sealed class RequestSummary
{
    /// <summary><c>model</c> as the body has it.</summary>
    public string? Model { get; set; }

    /// <summary>The model named by an Azure-style route (<c>/openai/deployments/{model}/...</c>); it wins over the body's.</summary>
    public string? RouteModel { get; set; }

    /// <summary>The model the client asked for: the route's, else the body's.</summary>
    public string? RequestedModel => RouteModel ?? Model;

    public bool Stream { get; set; }

    /// <summary>The top-level property the endpoint needs (<c>messages</c>, <c>prompt</c>, <c>input</c>) is present.</summary>
    public bool RequiredInputPresent { get; set; }

    /// <summary>... and is not null, empty or an empty list.</summary>
    public bool RequiredInputNotEmpty { get; set; }

    public string? MockResponse { get; set; }

    /// <summary>LiteLLM's per-request <c>"drop_params": true</c> (a gateway-only field).</summary>
    public bool DropParams { get; set; }

    /// <summary><c>stream_options.include_usage: true</c>: the client asked for a streamed answer's usage chunk.</summary>
    public bool IncludeUsage { get; set; }

    /// <summary>Index of <c>stream_options</c> in <see cref="Properties"/>, or -1.</summary>
    public int StreamOptionsIndex { get; set; } = -1;

    /// <summary>Index of an <c>extra_body</c> object in <see cref="Properties"/>, or -1: its entries belong at the top level.</summary>
    public int ExtraBodyIndex { get; set; } = -1;

    /// <summary>Index of <c>model</c> in <see cref="Properties"/>, or -1.</summary>
    public int ModelIndex { get; set; } = -1;

    public bool HasGatewayOnlyFields { get; set; }

    public List<JsonPropertySpan> Properties { get; } = new(8);

    public string? Error { get; set; }
}
