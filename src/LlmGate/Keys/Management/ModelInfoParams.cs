namespace LlmGate.Keys;

/// <summary>
/// The <c>litellm_params</c> <c>/model/info</c> shows: the upstream model and where it is served. Built field by field
/// from what is safe, so no credential (api_key, AWS or Vertex secrets) can ever reach the answer.
/// </summary>
internal sealed record ModelInfoParams(string Model, string? ApiBase);
