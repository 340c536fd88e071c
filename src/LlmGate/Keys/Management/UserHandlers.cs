using LlmGate.Configuration;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Keys;

/// <summary><c>POST /user/new</c> (with its key, unless <c>auto_create_key</c> is false) and <c>GET /user/info</c>.</summary>
internal static class UserHandlers
{
    private static readonly string[] Roles = ["proxy_admin", "proxy_admin_viewer", "internal_user", "internal_user_viewer"];

    public static async Task<IResult> NewAsync(ManagementCall call)
    {
        var body = await call.ReadBodyAsync();
        UnsupportedFields.Refuse(body);
        if (!body.IsEmpty("teams"))
        {
            // Team membership carries member budgets in LiteLLM; half of it would mislead.
            throw ManagementException.BadRequest(
                "teams is not supported by LlmGate yet: it would not be enforced. Create the user's key with team_id instead.", "teams");
        }

        var role = body.String("user_role").Value ?? "internal_user";
        if (!Roles.Contains(role, StringComparer.Ordinal))
        {
            throw ManagementException.BadRequest($"user_role must be one of {string.Join(", ", Roles)}. Received: {role}", "user_role");
        }

        // The user's own fields; the key made with it takes its models, alias, team and duration.
        var keyFields = KeyFields.Read(body);
        var limits = LimitFields.Read(body);
        var now = call.Now;
        var user = new KeyUser
        {
            UserId = body.String("user_id").Value is { Length: > 0 } id ? id : Guid.NewGuid().ToString(),
            UserAlias = body.String("user_alias").Value,
            UserEmail = body.String("user_email").Value,
            UserRole = role,
            Models = keyFields.Models.Value ?? [],
            Limits = limits.ApplyTo(EntityLimits.None, now),
            Metadata = keyFields.Metadata.Value ?? "{}",
            CreatedAt = now,
            UpdatedAt = now,
        };

        var autoCreateKey = body.Bool("auto_create_key").Value ?? true;
        await call.RequireTeamAsync(keyFields.TeamId.Value);
        if (await call.Store.FindUserAsync(user.UserId, call.Aborted) is not null)
        {
            throw ManagementException.BadRequest($"User with id {user.UserId} already exists.", "user_id");
        }

        await call.Store.CreateUserAsync(user, call.Aborted);
        call.Changed(SpendEntityKind.User, user.UserId);

        var view = UserView.Of(user) with { Echoed = UnsupportedFields.EchoOf(body) };
        if (autoCreateKey)
        {
            // The budget and limits sent are the user's (its keys without a team spend from them), not the key's too.
            var plaintext = GeneratedKeys.New(call.Options.GeneratedKeyBytes);
            var key = new VirtualKey
            {
                Token = KeyHashes.Of(plaintext),
                KeyName = GeneratedKeys.NameOf(plaintext),
                KeyAlias = keyFields.KeyAlias.Value is { Length: > 0 } alias ? alias : null,
                Models = user.Models,
                Expires = keyFields.Duration.Value is { } duration && BudgetDuration.TryParse(duration, out var parsed) ? parsed.After(now) : null,
                TeamId = keyFields.TeamId.Value,
                UserId = user.UserId,
                CreatedAt = now,
                UpdatedAt = now,
                CreatedBy = "default_user_id",
            };
            await call.Store.CreateKeyAsync(key, call.Aborted);
            call.Changed(SpendEntityKind.Key, key.Token);
            KeyManagementLog.KeyCreated(call.Logger, key.KeyName, key.KeyAlias, key.TeamId);
            view = view with { Key = plaintext, KeyName = key.KeyName, Token = key.Token, Expires = key.Expires };
        }

        return Results.Json(view, KeyManagementJsonContext.Default.UserView);
    }

    public static async Task<IResult> InfoAsync(ManagementCall call)
    {
        var userId = call.Query("user_id") ?? throw ManagementException.BadRequest("user_id is required.", "user_id");
        var user = await call.Store.FindUserAsync(userId, call.Aborted);
        var keys = await call.AllKeysAsync(new KeyListQuery { UserId = userId });
        if (user is null && keys.Count == 0)
        {
            throw ManagementException.NotFound($"User not found, passed user_id={userId}", "user_id");
        }

        var teams = new List<TeamView>();
        foreach (var teamId in keys.Select(k => k.TeamId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await call.Store.FindTeamAsync(teamId, call.Aborted) is { } team)
            {
                teams.Add(TeamView.Of(team));
            }
        }

        return Results.Json(
            new UserInfoResponse(userId, user is null ? null : UserView.Of(user), keys.Select(k => KeyView.Of(k)).ToArray(), teams),
            KeyManagementJsonContext.Default.UserInfoResponse);
    }
}
