using System.Security.Cryptography;
using System.Text;

namespace LlmGate.Alerting;

/// <summary>
/// Deterministic PagerDuty dedup keys, as Alertmanager makes them: every replica and every retry names the same
/// problem with the same key, so PagerDuty collapses them into one alert.
/// </summary>
internal static class DedupKeys
{
    /// <summary>Lowercase hex SHA-256 of <c>llmgate|&lt;class&gt;|&lt;scope&gt;</c>.</summary>
    public static string For(AlertRule rule, string scope) => Sha256Hex($"llmgate|{rule.ClassName}|{scope}");

    /// <summary>A fresh key for a fire drill, so a test never touches a real incident.</summary>
    public static string ForFireDrill(Guid drillId) => Sha256Hex($"llmgate|test|{drillId:D}");

    /// <summary>The same on every replica that lost the same Redis, so their notices collapse into one alert.</summary>
    public static string ForSharedStateLost(string redisEndpoint) => Sha256Hex($"llmgate|llmgate_shared_state_lost|{redisEndpoint}");

    /// <summary>One budget alert per entity (key, team, user), budget level (max, soft) and budget period, the same on every replica.</summary>
    public static string ForBudget(string className, string level, string entityKind, string entityId, string period) =>
        Sha256Hex($"llmgate|{className}|{level}|{entityKind}|{entityId}|{period}");

    /// <summary>One per-call condition (<c>outage_alerts</c> for a deployment, ...): its trigger, escalation and resolve share it.</summary>
    public static string ForCondition(string type, string problem) => Sha256Hex($"llmgate|{type}|{problem}");

    /// <summary>A report or digest: a fresh key for each period, so no two periods' messages collapse.</summary>
    public static string ForReport(string type, DateTimeOffset periodStart) => Sha256Hex($"llmgate|{type}|report|{periodStart.UtcTicks}");

    public static string ForKeyDatabase(string storeKind) => Sha256Hex($"llmgate|llmgate_key_database_unreachable|{storeKind}");

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
