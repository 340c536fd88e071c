namespace LlmGate.OpenAi;

internal enum ProxyEndpointKind
{
    ChatCompletions,
    Completions,
    Embeddings,

    /// <summary>
    /// Anthropic's Messages API (<c>/v1/messages</c>). Only adapters that speak it natively (<c>IMessagesApiAdapter</c>)
    /// ever see this kind; for every other deployment the attempt is bridged onto <see cref="ChatCompletions"/>.
    /// </summary>
    Messages,

    /// <summary>OpenAI's Responses API (<c>/v1/responses</c>): passed through to OpenAI and Azure deployments, bridged onto <see cref="ChatCompletions"/> for others.</summary>
    Responses,

    /// <summary>OpenAI's image generation (<c>/v1/images/generations</c>): JSON in, JSON out, passed through to OpenAI and Azure deployments.</summary>
    ImageGenerations,

    /// <summary>OpenAI's text to speech (<c>/v1/audio/speech</c>): JSON in, audio bytes out, relayed as they arrive.</summary>
    AudioSpeech,

    /// <summary>OpenAI's moderations (<c>/v1/moderations</c>): passed through to OpenAI-compatible deployments.</summary>
    Moderations,

    /// <summary>Cohere's rerank shape (<c>/v1/rerank</c>): Cohere's <c>/v2/rerank</c>, or <c>{api_base}/rerank</c> of an OpenAI-compatible server.</summary>
    Rerank,

    /// <summary>OpenAI's speech to text (<c>/v1/audio/transcriptions</c>): a multipart upload, its file spooled to disk (<see cref="AudioUpload"/>), JSON or text out.</summary>
    AudioTranscriptions,

    /// <summary>OpenAI's speech to English text (<c>/v1/audio/translations</c>): as <see cref="AudioTranscriptions"/>.</summary>
    AudioTranslations,
}
