using System.Text.Json;

namespace LlmGate.Keys;

/// <summary>The fields of a team one <c>/team/new</c> or <c>/team/update</c> sent.</summary>
internal sealed record TeamFields(
    Field<string?> TeamAlias,
    Field<IReadOnlyList<string>?> Models,
    LimitFields Limits,
    Field<string?> Metadata,
    Field<IReadOnlyList<string>?> Tags,
    Field<string?> MembersWithRoles,
    Field<bool?> Blocked)
{
    public static TeamFields Read(JsonBody body)
    {
        UnsupportedFields.Refuse(body);
        var members = body.Json("members_with_roles", JsonValueKind.Array);
        if (members.Value is { } text)
        {
            CheckMembers(text);
        }

        return new TeamFields(
            body.String("team_alias"),
            body.Strings("models"),
            LimitFields.Read(body),
            body.Json("metadata", JsonValueKind.Object),
            body.Strings("tags"),
            members,
            body.Bool("blocked"));
    }

    public KeyTeam ApplyTo(KeyTeam team, DateTimeOffset now)
    {
        var metadata = Metadata.Present ? Metadata.Value ?? "{}" : team.Metadata;
        if (Tags.Value is { Count: > 0 } tags)
        {
            metadata = JsonObjects.WithTags(metadata, tags);
        }

        return team with
        {
            TeamAlias = TeamAlias.Present ? (string.IsNullOrWhiteSpace(TeamAlias.Value) ? null : TeamAlias.Value) : team.TeamAlias,
            Models = Models.Present ? Models.Value ?? [] : team.Models,
            Limits = Limits.ApplyTo(team.Limits, now),
            Metadata = metadata,
            MembersWithRoles = MembersWithRoles.Present ? MembersWithRoles.Value ?? "[]" : team.MembersWithRoles,
            Blocked = Blocked.Present ? Blocked.Value ?? false : team.Blocked,
            UpdatedAt = now,
        };
    }

    // LiteLLM's Member model: a role of admin or user, and a user_id or a user_email.
    private static void CheckMembers(string text)
    {
        foreach (var member in JsonObjects.Parse(text, array: true).EnumerateArray())
        {
            var valid = member.ValueKind == JsonValueKind.Object
                && member.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String && role.GetString() is "admin" or "user"
                && ((member.TryGetProperty("user_id", out var id) && id.ValueKind == JsonValueKind.String)
                    || (member.TryGetProperty("user_email", out var email) && email.ValueKind == JsonValueKind.String));
            if (!valid)
            {
                throw ManagementException.BadRequest(
                    "members_with_roles must be a list of {\"role\": \"admin\" or \"user\", \"user_id\" or \"user_email\"}.", "members_with_roles");
            }
        }
    }
}
