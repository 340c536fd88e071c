using System.Net;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys.Management;

public sealed class KeyDeleteListTests
{
    [Fact]
    public async Task Delete_ByKeysAndByAliases_RemovesThemAndAnnouncesEach()
    {
        await using var host = await ManagementHost.StartAsync();
        var (first, firstToken, _) = await host.GenerateAsync();
        var (_, secondToken, _) = await host.GenerateAsync("""{"key_alias": "second"}""");
        var (_, keptToken, _) = await host.GenerateAsync();
        var before = host.Changes.All.Count;

        var byKey = await host.PostAsync("/key/delete", $$"""{"keys": ["{{first}}"]}""");
        var byAlias = await host.PostAsync("/key/delete", """{"key_aliases": ["second"]}""");

        Assert.Equal(HttpStatusCode.OK, byKey.Status);
        Assert.Equal(firstToken, byKey.Json.GetProperty("deleted_keys")[0].GetString());
        Assert.Equal(secondToken, byAlias.Json.GetProperty("deleted_keys")[0].GetString());
        Assert.Equal(keptToken, Assert.Single((await host.KeysAsync())).Token);
        Assert.Equal(
            [new EntityChange(SpendEntityKind.Key, firstToken), new EntityChange(SpendEntityKind.Key, secondToken)],
            host.Changes.All.Skip(before));
    }

    [Fact]
    public async Task Delete_WithOneUnknownName_Is404AndDeletesNothing()
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, _, _) = await host.GenerateAsync();

        var reply = await host.PostAsync("/key/delete", $$"""{"keys": ["{{key}}", "sk-unknown-one"]}""");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Single((await host.KeysAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, (await host.PostAsync("/key/delete", "{}")).Status);
    }

    [Fact]
    public async Task List_PagesNewestFirstWithTotals()
    {
        await using var host = await ManagementHost.StartAsync();
        var tokens = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add((await host.GenerateAsync()).Token);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await host.GetAsync("/key/list?size=2");
        var last = await host.GetAsync("/key/list?size=2&page=3");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal([tokens[4], tokens[3]], first.Json.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(5, first.Json.GetProperty("total_count").GetInt32());
        Assert.Equal(1, first.Json.GetProperty("current_page").GetInt32());
        Assert.Equal(3, first.Json.GetProperty("total_pages").GetInt32());
        Assert.Equal([tokens[0]], last.Json.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(3, last.Json.GetProperty("current_page").GetInt32());
    }

    [Fact]
    public async Task List_Filters_ByUserTeamAliasAndHash()
    {
        await using var host = await ManagementHost.StartAsync();
        await host.PostAsync("/team/new", """{"team_id": "t1"}""");
        var (_, userKey, _) = await host.GenerateAsync("""{"user_id": "u1"}""");
        var (_, teamKey, _) = await host.GenerateAsync("""{"team_id": "t1"}""");
        var (aliasPlain, aliasKey, _) = await host.GenerateAsync("""{"key_alias": "named"}""");

        Assert.Equal(userKey, Only(await host.GetAsync("/key/list?user_id=u1")));
        Assert.Equal(teamKey, Only(await host.GetAsync("/key/list?team_id=t1")));
        Assert.Equal(aliasKey, Only(await host.GetAsync("/key/list?key_alias=named")));
        Assert.Equal(aliasKey, Only(await host.GetAsync("/key/list?key_hash=" + aliasKey)));
        Assert.Equal(aliasKey, Only(await host.GetAsync("/key/list?key_hash=" + aliasPlain)));

        static string Only(Reply reply) => Assert.Single(reply.Json.GetProperty("keys").EnumerateArray()).GetString()!;
    }

    [Fact]
    public async Task List_FullObject_ShowsRecordsWithoutPlaintext()
    {
        await using var host = await ManagementHost.StartAsync();
        var (_, token, _) = await host.GenerateAsync("""{"key_alias": "full"}""");

        var reply = await host.GetAsync("/key/list?return_full_object=true");

        var key = Assert.Single(reply.Json.GetProperty("keys").EnumerateArray());
        Assert.Equal(token, key.GetProperty("token").GetString());
        Assert.Equal("full", key.GetProperty("key_alias").GetString());
        Assert.False(key.TryGetProperty("key", out _));
    }

    [Theory]
    [InlineData("size=101")]
    [InlineData("size=0")]
    [InlineData("page=0")]
    [InlineData("page=two")]
    [InlineData("return_full_object=yes")]
    public async Task List_BadPaging_Is400NamingTheParameter(string query)
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.GetAsync("/key/list?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.StartsWith(query.Split('=')[0], reply.ErrorMessage, StringComparison.Ordinal);
    }
}
