using LlmGate.Pricing;
using LlmGate.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Keys;

/// <summary>
/// <c>GET /model/info</c>: each deployment of the current config, its price and limits; no credential ever. A virtual
/// key sees the deployments of the models it may call, as <c>/v1/models</c> lists them (LiteLLM filters by the key's
/// models too).
/// </summary>
internal static class ModelInfoHandlers
{
    public static Task<IResult> InfoAsync(ManagementCall call)
    {
        var prices = call.Services.GetService<IModelPrices>();
        var onlyId = call.Query("litellm_model_id");
        var admission = call.IsAdmin ? null : call.Services.GetService<ICallAdmission>();
        var data = call.Snapshot.Config.Deployments
            .Where(d => (onlyId is null || d.Id == onlyId) && (admission is null || admission.MayCall(call.Context, d.ModelName)))
            .Select(d =>
            {
                var price = prices?.For(d);
                return new ModelInfoEntry(d.ModelName, new ModelInfoParams(d.Model, d.ApiBase), new ModelInfoDetails
                {
                    Id = d.Id,
                    InputCostPerToken = price?.InputCostPerToken,
                    OutputCostPerToken = price?.OutputCostPerToken,
                    CacheReadInputTokenCost = price?.CacheReadInputTokenCost,
                    CacheCreationInputTokenCost = price?.CacheCreationInputTokenCost,
                    MaxTokens = price?.MaxOutputTokens,
                    MaxInputTokens = price?.MaxInputTokens,
                    MaxOutputTokens = price?.MaxOutputTokens,
                });
            })
            .ToArray();
        return Task.FromResult(Results.Json(new ModelInfoResponse(data), KeyManagementJsonContext.Default.ModelInfoResponse));
    }
}
