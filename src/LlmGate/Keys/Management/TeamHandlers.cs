using Microsoft.AspNetCore.Http;

namespace LlmGate.Keys;

/// <summary>The <c>/team/*</c> routes: new, info, update, delete, list.</summary>
internal static class TeamHandlers
{
    public static async Task<IResult> NewAsync(ManagementCall call)
    {
        var body = await call.ReadBodyAsync();
        var fields = TeamFields.Read(body);
        var teamId = body.String("team_id").Value is { Length: > 0 } id ? id : Guid.NewGuid().ToString();
        var now = call.Now;
        var team = fields.ApplyTo(new KeyTeam { TeamId = teamId, CreatedAt = now }, now);
        if (await call.Store.FindTeamAsync(teamId, call.Aborted) is not null)
        {
            throw ManagementException.BadRequest($"Team id = {teamId} already exists. Please use a different team id.", "team_id");
        }

        await call.Store.CreateTeamAsync(team, call.Aborted);
        call.Changed(SpendEntityKind.Team, team.TeamId);
        return Results.Json(TeamView.Of(team, UnsupportedFields.EchoOf(body)), KeyManagementJsonContext.Default.TeamView);
    }

    public static async Task<IResult> InfoAsync(ManagementCall call)
    {
        var teamId = call.Query("team_id") ?? throw ManagementException.BadRequest("team_id is required.", "team_id");
        var team = await FindAsync(call, teamId);
        var keys = await call.AllKeysAsync(new KeyListQuery { TeamId = teamId });
        return Results.Json(
            new TeamInfoResponse(team.TeamId, TeamView.Of(team), keys.Select(k => KeyView.Of(k)).ToArray()),
            KeyManagementJsonContext.Default.TeamInfoResponse);
    }

    public static async Task<IResult> UpdateAsync(ManagementCall call)
    {
        var body = await call.ReadBodyAsync();
        var fields = TeamFields.Read(body);
        var teamId = body.String("team_id").Value ?? throw ManagementException.BadRequest("team_id is required.", "team_id");
        var team = fields.ApplyTo(await FindAsync(call, teamId), call.Now);
        if (!await call.Store.UpdateTeamAsync(team, call.Aborted))
        {
            throw NotFound(teamId);
        }

        call.Changed(SpendEntityKind.Team, team.TeamId);
        return Results.Json(TeamView.Of(team, UnsupportedFields.EchoOf(body)), KeyManagementJsonContext.Default.TeamView);
    }

    /// <summary>LiteLLM's <c>/team/block</c>: every key of the team is refused (401) until <c>/team/unblock</c>.</summary>
    public static Task<IResult> BlockAsync(ManagementCall call) => SetBlockedAsync(call, blocked: true);

    public static Task<IResult> UnblockAsync(ManagementCall call) => SetBlockedAsync(call, blocked: false);

    public static async Task<IResult> DeleteAsync(ManagementCall call)
    {
        var body = await call.ReadBodyAsync();
        var teamIds = body.Strings("team_ids").Value is { Count: > 0 } ids
            ? ids.Distinct(StringComparer.Ordinal).ToArray()
            : throw ManagementException.BadRequest("team_ids is required: the teams to delete.", "team_ids");

        // The teams' keys stay, without a team: their cached copies must drop the team too.
        var keys = new List<string>();
        foreach (var teamId in teamIds)
        {
            _ = await FindAsync(call, teamId);
            keys.AddRange((await call.AllKeysAsync(new KeyListQuery { TeamId = teamId })).Select(k => k.Token));
        }

        var deleted = await call.Store.DeleteTeamsAsync(teamIds, call.Aborted);
        foreach (var teamId in deleted)
        {
            call.Changed(SpendEntityKind.Team, teamId);
        }

        foreach (var token in keys)
        {
            call.Changed(SpendEntityKind.Key, token);
        }

        return Results.Json(new DeletedTeamsResponse(deleted), KeyManagementJsonContext.Default.DeletedTeamsResponse);
    }

    public static async Task<IResult> ListAsync(ManagementCall call)
    {
        var teams = await call.Store.ListTeamsAsync(call.Aborted);
        return Results.Json<IReadOnlyList<TeamView>>(
            teams.Select(t => TeamView.Of(t)).ToArray(), KeyManagementJsonContext.Default.IReadOnlyListTeamView);
    }

    private static async Task<IResult> SetBlockedAsync(ManagementCall call, bool blocked)
    {
        var body = await call.ReadBodyAsync();
        var teamId = body.String("team_id").Value ?? throw ManagementException.BadRequest("team_id is required.", "team_id");
        var team = await FindAsync(call, teamId) with { Blocked = blocked, UpdatedAt = call.Now };
        if (!await call.Store.UpdateTeamAsync(team, call.Aborted))
        {
            throw NotFound(teamId);
        }

        call.Changed(SpendEntityKind.Team, team.TeamId);
        return Results.Json(TeamView.Of(team), KeyManagementJsonContext.Default.TeamView);
    }

    private static async Task<KeyTeam> FindAsync(ManagementCall call, string teamId) =>
        await call.Store.FindTeamAsync(teamId, call.Aborted) ?? throw NotFound(teamId);

    private static ManagementException NotFound(string teamId) => ManagementException.NotFound($"Team not found, passed team_id={teamId}", "team_id");
}
