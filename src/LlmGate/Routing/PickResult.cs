namespace LlmGate.Routing;

/// <summary>The deployment chosen, or why none could be: all cooling down (<see cref="CoolingDownUntil"/> is the earliest end) or all at their rpm.</summary>
internal readonly record struct PickResult(Deployment? Deployment, int Index, DateTimeOffset? CoolingDownUntil, bool AllAtRateLimit);
