using LlmGate.Configuration;
using LlmGate.Secrets;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Conditions;

/// <summary>What every condition and report shares: the options, the catalog of problems, where notifications go, the scrubber, the clock and the replicas' claims.</summary>
internal sealed record ConditionContext(
    AlertingOptions Options,
    ConditionCatalog Catalog,
    Delivery.AlertNotifier Notifier,
    SecretScrubber Scrubber,
    TimeProvider Time,
    ILogger Logger)
{
    /// <summary>Set when replicas share a Redis: which of them tells each condition. Null: this replica tells all it sees.</summary>
    public IConditionClaims? Claims { get; init; }
}
