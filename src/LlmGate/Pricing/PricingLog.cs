using Microsoft.Extensions.Logging;

namespace LlmGate.Pricing;

internal static partial class PricingLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "{Count} deployments have no price (their calls count as costing 0; set model_info.input_cost_per_token / output_cost_per_token or base_model, or run 'llmgate prices import'): {Deployments}")]
    public static partial void UnpricedDeployments(ILogger logger, int count, string deployments);
}
