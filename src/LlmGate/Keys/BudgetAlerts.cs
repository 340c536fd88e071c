using System.Collections.Concurrent;
using System.Globalization;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;

namespace LlmGate.Keys;

/// <summary>
/// LiteLLM's <c>budget_alerts</c>: a key or team that reaches 85 % and 95 % of its <c>max_budget</c>, one that crosses
/// it, and one that crosses its <c>soft_budget</c>, is reported once per level and budget period at <c>warning</c>, through the durable outbox. Every replica uses
/// the same dedup key for a key's period, so the levels update one alert and replicas never duplicate it; it is
/// resolved when spend falls back below 85 % (a new period, a raised budget).
/// </summary>
internal sealed class BudgetAlerts(AlertNotifier notifier, TimeProvider time)
{
    public const string ClassName = "llmgate_budget";

    private static readonly double[] Levels = [0.85, 0.95, 1.0];

    private readonly ConcurrentDictionary<(SpendEntityKind, string), (int Level, string DedupKey)> _reported = new();

    public void Check(CachedKey key)
    {
        var keyEvent = new BudgetEvent("", "key", "", 0)
        {
            Token = key.Record.Token,
            KeyAlias = key.Record.KeyAlias,
            UserId = key.Record.UserId,
            TeamId = key.Record.TeamId,
            TeamAlias = key.Team?.Policy.Alias,
        };
        Check(key, $"Key {key.DisplayName}", keyEvent);
        if (key.Team is { } team)
        {
            Check(team, $"Team {team.Id}", new BudgetEvent("", "team", "", 0) { TeamId = team.Id, TeamAlias = team.Policy.Alias });
        }
    }

    private void Check(CachedEntity entity, string name, BudgetEvent template)
    {
        CheckSoftBudget(entity, name, template);
        if (entity.Policy.Limits.MaxBudget is not { } max || max <= 0)
        {
            return;
        }

        var spend = entity.Budget.Spend;
        var level = 0;
        while (level < Levels.Length && spend >= max * Levels[level])
        {
            level++;
        }

        var id = (entity.Kind, entity.Id);
        var previous = _reported.TryGetValue(id, out var reported) ? reported.Level : 0;
        var now = time.GetUtcNow();
        if (level > previous)
        {
            var dedupKey = previous > 0 ? reported.DedupKey : DedupKey(entity);
            var what = level == Levels.Length
                ? "has crossed its budget"
                : $"has used {(Levels[level - 1] * 100).ToString("0", CultureInfo.InvariantCulture)} % of its budget";
            var summary = $"LlmGate budget: {name} {what}: spend {spend.ToString("0.######", CultureInfo.InvariantCulture)} USD of max_budget {max.ToString(CultureInfo.InvariantCulture)} USD"
                + (entity.Budget.ResetAt is { } reset ? $"; resets at {reset:u}." : ".");
            var budgetEvent = template with
            {
                Event = level == Levels.Length ? "budget_crossed" : "threshold_crossed",
                EventMessage = $"{Group(template)} Budget: {(level == Levels.Length ? "Budget Crossed" : "Threshold Crossed")}",
                Spend = spend,
                MaxBudget = max,
                SoftBudget = entity.Policy.Limits.SoftBudget,
                ResetAt = entity.Budget.ResetAt,
            };
            if (notifier.TryEnqueue(Notice(entity, dedupKey, summary, budgetEvent, now)))
            {
                _reported[id] = (level, dedupKey);
            }
        }
        else if (level == 0 && previous > 0 && notifier.TryEnqueue(AlertNotification.Resolved(reported.DedupKey, ClassName, now)))
        {
            _reported.TryRemove(id, out _);
        }
    }

    // soft_budget never refuses; crossing it is reported once per period, and resolved when spend is below it again.
    private void CheckSoftBudget(CachedEntity entity, string name, BudgetEvent template)
    {
        if (entity.Policy.Limits.SoftBudget is not { } soft || soft <= 0)
        {
            return;
        }

        var spend = entity.Budget.Spend;
        var id = (entity.Kind, entity.Id + "|soft");
        var reported = _reported.TryGetValue(id, out var previous);
        var now = time.GetUtcNow();
        if (spend >= soft && !reported)
        {
            var dedupKey = DedupKey(entity, "soft");
            var summary = $"LlmGate budget: {name} has crossed its soft_budget: spend {spend.ToString("0.######", CultureInfo.InvariantCulture)} USD "
                + $"of soft_budget {soft.ToString(CultureInfo.InvariantCulture)} USD (calls go on).";
            var budgetEvent = template with
            {
                Event = "soft_budget_crossed",
                EventMessage = $"{Group(template)} Budget: Soft Budget Crossed",
                Spend = spend,
                MaxBudget = entity.Policy.Limits.MaxBudget,
                SoftBudget = soft,
                ResetAt = entity.Budget.ResetAt,
            };
            if (notifier.TryEnqueue(Notice(entity, dedupKey, summary, budgetEvent, now)))
            {
                _reported[id] = (1, dedupKey);
            }
        }
        else if (spend < soft && reported && notifier.TryEnqueue(AlertNotification.Resolved(previous.DedupKey, ClassName, now)))
        {
            _reported.TryRemove(id, out _);
        }
    }

    private static AlertNotification Notice(CachedEntity entity, string dedupKey, string summary, BudgetEvent budgetEvent, DateTimeOffset now) =>
        AlertNotification.Noticed(
            dedupKey,
            AlertTypeNames.BudgetAlerts,
            ClassName,
            "Budget alert",
            new AlertNotice(summary, AlertSeverity.Warning) { Budget = budgetEvent },
            now,
            AlertLabels.Of(AlertTypeNames.BudgetAlerts, ClassName, $"{entity.Kind.ToString().ToLowerInvariant()}:{entity.Id}", severity: AlertSeverity.Warning));

    private static string Group(BudgetEvent budgetEvent) => budgetEvent.EventGroup == "team" ? "Team" : "Key";

    // The same on every replica for one entity and budget period; the key's hash is cut, never the key.
    private static string DedupKey(CachedEntity entity, string level = "max")
    {
        var period = entity.Budget.ResetAt?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "once";
        return DedupKeys.ForBudget(ClassName, level, entity.Kind.ToString(), entity.Id, period);
    }
}
