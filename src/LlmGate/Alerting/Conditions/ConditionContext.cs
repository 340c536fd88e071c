using LlmGate.Configuration;
using LlmGate.Secrets;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Conditions;

/// <summary>What every condition and report shares: the options, the catalog of problems, where notifications go, the scrubber and the clock.</summary>
internal sealed record ConditionContext(
    AlertingOptions Options,
    ConditionCatalog Catalog,
    Delivery.AlertNotifier Notifier,
    SecretScrubber Scrubber,
    TimeProvider Time,
    ILogger Logger);
