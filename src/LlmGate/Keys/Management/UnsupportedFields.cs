using System.Text.Json;

namespace LlmGate.Keys;

/// <summary>
/// LiteLLM fields that would change what a key, team or user may do (per-model budgets and limits, routes, guardrails,
/// shared budgets). Accepting one and not enforcing it would leave a caller believing a limit holds that does not, so a
/// non-empty value is refused; the empty values LiteLLM's UI and SDKs send by default pass.
/// </summary>
internal static class UnsupportedFields
{
    private static readonly string[] Enforcing =
    [
        "model_max_budget", "model_rpm_limit", "model_tpm_limit", "budget_limits", "budget_id",
        "temp_budget_increase", "temp_budget_expiry", "rpm_limit_type", "tpm_limit_type",
        "allowed_routes", "allowed_passthrough_routes", "enforced_params", "guardrails", "policies",
        "access_group_ids", "organization_id", "team_member_budget", "team_member_budget_duration",
        "team_member_rpm_limit", "team_member_tpm_limit", "team_member_key_duration", "grace_period", "new_master_key",
    ];

    /// <summary>
    /// The informational fields accepted and echoed in the answer: they change nothing the gateway enforces.
    /// (<c>tags</c> is also kept in <c>metadata.tags</c>, where LiteLLM keeps it.)
    /// </summary>
    public static readonly string[] Echoed =
        ["tags", "aliases", "config", "permissions", "allowed_cache_controls", "model_aliases", "send_invite_email", "duration"];

    public static void Refuse(JsonBody body)
    {
        foreach (var name in Enforcing)
        {
            if (!body.IsEmpty(name))
            {
                throw ManagementException.BadRequest(
                    $"{name} is not supported by LlmGate yet: it would not be enforced. Remove it, or send it empty.", name);
            }
        }

        // key_type only narrows a key's routes; the two that leave an LLM key as LlmGate's keys already are pass.
        if (body.String("key_type").Value is { } keyType && keyType is not ("default" or "llm_api"))
        {
            throw ManagementException.BadRequest(
                $"key_type '{keyType}' is not supported by LlmGate yet: it would not be enforced. Use llm_api or default.", "key_type");
        }
    }

    public static Dictionary<string, JsonElement>? EchoOf(JsonBody body)
    {
        Dictionary<string, JsonElement>? echoed = null;
        foreach (var name in Echoed)
        {
            if (body.TryGet(name, out var value))
            {
                (echoed ??= [])[name] = value;
            }
        }

        return echoed;
    }
}
