using LlmGate.Calls;
using LlmGate.OpenAi;
using LlmGate.Routing;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Proxy;

/// <summary>
/// Decides, once the model is known and before any deployment is called, whether the caller may make this call
/// (a virtual key's model access, budgets and rate limits). What it holds against the call it puts on
/// <see cref="CallContext.Charge"/>. Registered by the key feature; without one every routed call goes ahead.
/// </summary>
internal interface ICallAdmission
{
    /// <summary>Null admits the call; it may set response headers (limits, remaining) either way.</summary>
    /// <summary>Whether the caller may call <paramref name="model"/> at all: what <c>/v1/models</c> lists for it.</summary>
    bool MayCall(HttpContext context, string model);

    ValueTask<AdmissionRefusal?> AdmitAsync(HttpContext context, CallContext call, ProxyEndpointKind kind, ReadOnlyMemory<byte> body, RequestSummary summary, ModelGroup group);
}
