namespace LlmGate.Proxy;

/// <summary>The few fields of a request body the gateway reads; everything else is forwarded as bytes.</summary>
internal sealed class RequestSummary
{
    public string? Model { get; set; }

    public bool Stream { get; set; }

    /// <summary>The top-level property the endpoint needs (<c>messages</c>, <c>prompt</c>, <c>input</c>) is present.</summary>
    public bool RequiredInputPresent { get; set; }

    /// <summary>... and is not null, empty or an empty list.</summary>
    public bool RequiredInputNotEmpty { get; set; }

    public string? MockResponse { get; set; }

    /// <summary>Index of <c>model</c> in <see cref="Properties"/>, or -1.</summary>
    public int ModelIndex { get; set; } = -1;

    public bool HasGatewayOnlyFields { get; set; }

    public List<JsonPropertySpan> Properties { get; } = new(8);

    public string? Error { get; set; }
}
