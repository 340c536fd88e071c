using LlmGate.Configuration;
namespace LlmGate.Keys;

/// <summary>The fields of a virtual key one <c>/key/generate</c>, <c>/key/update</c> or <c>/key/regenerate</c> sent.</summary>
internal sealed record KeyFields(
    Field<string?> KeyAlias,
    Field<IReadOnlyList<string>?> Models,
    LimitFields Limits,
    Field<string?> Duration,
    Field<string?> Metadata,
    Field<IReadOnlyList<string>?> Tags,
    Field<string?> TeamId,
    Field<string?> UserId,
    Field<bool?> Blocked,
    Field<double?> Spend)
{
    public static KeyFields Read(JsonBody body)
    {
        UnsupportedFields.Refuse(body);
        var duration = body.String("duration");
        if (duration.Value is { } text && !BudgetDuration.TryParse(text, out _))
        {
            throw ManagementException.BadRequest(
                $"duration '{text}' is not a duration: use a count and s, m, h, d or mo, e.g. 30d; null never expires.", "duration");
        }

        var spend = body.Number("spend");
        if (spend.Value is < 0)
        {
            throw ManagementException.BadRequest($"spend cannot be negative. Received: {spend.Value}", "spend");
        }

        var models = body.Strings("models");
        if (models.Value?.Any(string.IsNullOrWhiteSpace) == true)
        {
            throw ManagementException.BadRequest("models must not contain an empty name.", "models");
        }

        return new KeyFields(
            body.String("key_alias"),
            models,
            LimitFields.Read(body),
            duration,
            body.Json("metadata", System.Text.Json.JsonValueKind.Object),
            body.Strings("tags"),
            body.String("team_id"),
            body.String("user_id"),
            body.Bool("blocked"),
            spend);
    }

    /// <summary>The key with the fields sent applied (spend aside: only <see cref="IKeyStore.SetKeySpendAsync"/> changes it).</summary>
    public VirtualKey ApplyTo(VirtualKey key, DateTimeOffset now)
    {
        var metadata = Metadata.Present ? Metadata.Value ?? "{}" : key.Metadata;
        if (Tags.Value is { Count: > 0 } tags)
        {
            metadata = JsonObjects.WithTags(metadata, tags);
        }

        return key with
        {
            KeyAlias = KeyAlias.Present ? Blank(KeyAlias.Value) : key.KeyAlias,
            Models = Models.Present ? Models.Value ?? [] : key.Models,
            Limits = Limits.ApplyTo(key.Limits, now),
            Expires = Duration.Present ? ExpiryFrom(Duration.Value, now) : key.Expires,
            Metadata = metadata,
            TeamId = TeamId.Present ? Blank(TeamId.Value) : key.TeamId,
            UserId = UserId.Present ? Blank(UserId.Value) : key.UserId,
            Blocked = Blocked.Present ? Blocked.Value ?? false : key.Blocked,
            UpdatedAt = now,
        };
    }

    private static DateTimeOffset? ExpiryFrom(string? duration, DateTimeOffset now) =>
        duration is not null && BudgetDuration.TryParse(duration, out var parsed) ? parsed.After(now) : null;

    // An empty alias or id is "none", not a value that could collide or match.
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
