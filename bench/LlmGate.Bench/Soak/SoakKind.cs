namespace LlmGate.Bench.Soak;

/// <summary>What one soak connection sends, over and over: healthy calls, and calls that provoke a fault on purpose.</summary>
internal enum SoakKind
{
    /// <summary>A chat completion on the healthy deployment: 200 expected.</summary>
    Chat,

    /// <summary>A streamed chat completion on the healthy deployment: 200 and <c>[DONE]</c> expected.</summary>
    Stream,

    /// <summary>An embedding on the embeddings deployment: 200 expected.</summary>
    Embedding,

    /// <summary>A chat completion on the deployment whose upstream fails half its answers (one retry): 200, 500 or 503.</summary>
    UpstreamError,

    /// <summary>A chat completion on the deployment whose upstream answers after the deployment's <c>timeout</c>: 408.</summary>
    Timeout,

    /// <summary>A slow stream on the healthy deployment the client closes after its first chunk.</summary>
    Disconnect,
}
