namespace LlmGate.Providers.Aws;

/// <summary>A Converse request body (the model is in the URL), and how its answer is to be read.</summary>
/// <param name="JsonMode">
/// The client asked for a JSON schema (<c>response_format</c>), which Converse gets as a forced tool
/// (<see cref="BedrockConverseRequestTranslator.JsonToolName"/>): the answer's call to it is the client's content.
/// </param>
internal readonly record struct BedrockConverseRequest(byte[] Body, bool JsonMode);
