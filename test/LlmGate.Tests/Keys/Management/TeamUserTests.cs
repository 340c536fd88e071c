using System.Net;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys.Management;

public sealed class TeamUserTests
{
    [Fact]
    public async Task Team_NewInfoUpdateListDelete()
    {
        await using var host = await ManagementHost.StartAsync();

        var created = await host.PostAsync("/team/new", """
            {"team_id": "t1", "team_alias": "Search", "models": ["gpt-4o"], "max_budget": 100, "budget_duration": "30d",
             "tpm_limit": 5000, "members_with_roles": [{"role": "admin", "user_id": "u1"}], "metadata": {"cost_center": "42"}}
            """);
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("Search", created.Json.GetProperty("team_alias").GetString());
        Assert.Equal(host.Time.GetUtcNow().AddDays(30), created.Json.GetProperty("budget_reset_at").GetDateTimeOffset());
        Assert.Equal("u1", created.Json.GetProperty("members_with_roles")[0].GetProperty("user_id").GetString());
        var (_, keyToken, _) = await host.GenerateAsync("""{"team_id": "t1"}""");

        var info = await host.GetAsync("/team/info?team_id=t1");
        Assert.Equal("t1", info.Json.GetProperty("team_id").GetString());
        Assert.Equal(100, info.Json.GetProperty("team_info").GetProperty("max_budget").GetDouble());
        Assert.Equal(keyToken, Assert.Single(info.Json.GetProperty("keys").EnumerateArray()).GetProperty("token").GetString());

        var updated = await host.PostAsync("/team/update", """{"team_id": "t1", "max_budget": null, "rpm_limit": 10}""");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        var info2 = (await host.GetAsync("/team/info?team_id=t1")).Json.GetProperty("team_info");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, info2.GetProperty("max_budget").ValueKind);
        Assert.Equal(10, info2.GetProperty("rpm_limit").GetInt64());
        Assert.Equal(5000, info2.GetProperty("tpm_limit").GetInt64());
        Assert.Equal("Search", info2.GetProperty("team_alias").GetString());

        await host.PostAsync("/team/new", """{"team_id": "t2"}""");
        var list = await host.GetAsync("/team/list");
        Assert.Equal(["t1", "t2"], list.Json.EnumerateArray().Select(t => t.GetProperty("team_id").GetString()));

        var before = host.Changes.All.Count;
        var deleted = await host.PostAsync("/team/delete", """{"team_ids": ["t1"]}""");
        Assert.Equal("t1", deleted.Json.GetProperty("deleted_teams")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/team/info?team_id=t1")).Status);
        Assert.Contains(new EntityChange(SpendEntityKind.Team, "t1"), host.Changes.All.Skip(before));
        Assert.Contains(new EntityChange(SpendEntityKind.Key, keyToken), host.Changes.All.Skip(before));
    }

    [Fact]
    public async Task TeamBlockThenUnblock_AsLiteLlmsRoutes_SetBlockedAndAnnounceEachChange()
    {
        await using var host = await ManagementHost.StartAsync();
        await host.PostAsync("/team/new", """{"team_id": "t1", "rpm_limit": 7}""");
        var before = host.Changes.All.Count;

        var blocked = await host.PostAsync("/team/block", """{"team_id": "t1"}""");
        Assert.Equal(HttpStatusCode.OK, blocked.Status);
        Assert.True(blocked.Json.GetProperty("blocked").GetBoolean());
        Assert.True((await host.GetAsync("/team/info?team_id=t1")).Json.GetProperty("team_info").GetProperty("blocked").GetBoolean());

        var unblocked = await host.PostAsync("/team/unblock", """{"team_id": "t1"}""");
        Assert.False(unblocked.Json.GetProperty("blocked").GetBoolean());
        var info = (await host.GetAsync("/team/info?team_id=t1")).Json.GetProperty("team_info");
        Assert.False(info.GetProperty("blocked").GetBoolean());
        Assert.Equal(7, info.GetProperty("rpm_limit").GetInt64()); // nothing else changed
        Assert.Equal(2, host.Changes.All.Skip(before).Count(c => c == new EntityChange(SpendEntityKind.Team, "t1")));
        Assert.Equal(HttpStatusCode.NotFound, (await host.PostAsync("/team/block", """{"team_id": "nope"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.PostAsync("/team/unblock", "{}")).Status);
    }

    [Fact]
    public async Task Team_DuplicateIdUnknownIdAndBadMembers_AreRefused()
    {
        await using var host = await ManagementHost.StartAsync();
        await host.PostAsync("/team/new", """{"team_id": "t1"}""");

        var duplicate = await host.PostAsync("/team/new", """{"team_id": "t1"}""");
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal("Team id = t1 already exists. Please use a different team id.", duplicate.ErrorMessage);
        var update = await host.PostAsync("/team/update", """{"team_id": "nope", "rpm_limit": 1}""");
        Assert.Equal(HttpStatusCode.NotFound, update.Status);
        Assert.Equal("Team not found, passed team_id=nope", update.ErrorMessage);
        Assert.Equal(HttpStatusCode.NotFound, (await host.PostAsync("/team/delete", """{"team_ids": ["t1", "nope"]}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/team/info?team_id=t1")).Status);
        var members = await host.PostAsync("/team/new", """{"members_with_roles": [{"role": "owner", "user_id": "u"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, members.Status);
    }

    [Fact]
    public async Task Team_NewWithoutId_GetsOne()
    {
        await using var host = await ManagementHost.StartAsync();

        var created = await host.PostAsync("/team/new", """{"team_alias": "x"}""");

        Assert.True(Guid.TryParse(created.Json.GetProperty("team_id").GetString(), out _));
    }

    [Fact]
    public async Task KeyForUnknownTeam_Is400()
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/key/generate", """{"team_id": "ghost"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("Team=ghost", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty((await host.KeysAsync()));
    }

    [Fact]
    public async Task UserNew_CreatesUserAndAKeyThatWorks()
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/user/new", """
            {"user_id": "alice", "user_email": "alice@example.com", "max_budget": 20, "models": ["gpt-4o"], "key_alias": "alice-key"}
            """);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var key = reply.Json.GetProperty("key").GetString()!;
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);
        Assert.Equal("internal_user", reply.Json.GetProperty("user_role").GetString());
        Assert.Equal(20, reply.Json.GetProperty("max_budget").GetDouble());
        var stored = Assert.Single((await host.KeysAsync()));
        Assert.Equal("alice", stored.UserId);
        Assert.Equal("alice-key", stored.KeyAlias);
        Assert.Equal(["gpt-4o"], stored.Models);
        Assert.Null(stored.Limits.MaxBudget); // the budget is the user's
        var own = await host.GetAsync("/key/info", bearer: key);
        Assert.Equal("alice", own.Json.GetProperty("info").GetProperty("user_id").GetString());
        Assert.Contains(new EntityChange(SpendEntityKind.User, "alice"), host.Changes.All);
    }

    [Fact]
    public async Task UserNew_AutoCreateKeyFalse_MakesNoKey()
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/user/new", """{"user_id": "bob", "auto_create_key": false}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Json.TryGetProperty("key", out _));
        Assert.Empty((await host.KeysAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, (await host.PostAsync("/user/new", """{"user_id": "bob"}""")).Status);
    }

    [Theory]
    [InlineData("""{"user_role": "god"}""", "user_role")]
    [InlineData("""{"teams": ["t1"]}""", "teams")]
    public async Task UserNew_UnsupportedValues_Are400(string body, string field)
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/user/new", body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.StartsWith(field, reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInfo_ShowsUserKeysAndTheirTeams()
    {
        await using var host = await ManagementHost.StartAsync();
        await host.PostAsync("/team/new", """{"team_id": "t1"}""");
        await host.PostAsync("/user/new", """{"user_id": "carol", "team_id": "t1"}""");
        await host.GenerateAsync("""{"user_id": "carol"}""");

        var reply = await host.GetAsync("/user/info?user_id=carol");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("carol", reply.Json.GetProperty("user_info").GetProperty("user_id").GetString());
        Assert.Equal(2, reply.Json.GetProperty("keys").GetArrayLength());
        Assert.Equal("t1", Assert.Single(reply.Json.GetProperty("teams").EnumerateArray()).GetProperty("team_id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/user/info?user_id=nobody")).Status);
    }
}
