using System.Net;
using System.Text.Json;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys.Management;

public sealed class KeyInfoUpdateTests
{
    [Fact]
    public async Task Info_ByPlaintextByHashAndOwnKey_ShowsTheSameKey()
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, token, _) = await host.GenerateAsync("""{"key_alias": "mine"}""");

        var byPlaintext = await host.GetAsync("/key/info?key=" + key);
        var byHash = await host.GetAsync("/key/info?key=" + token);
        var own = await host.GetAsync("/key/info", bearer: key);

        foreach (var reply in new[] { byPlaintext, byHash, own })
        {
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal(token, reply.Json.GetProperty("key").GetString());
            Assert.Equal(token, reply.Json.GetProperty("info").GetProperty("token").GetString());
            Assert.Equal("mine", reply.Json.GetProperty("info").GetProperty("key_alias").GetString());
        }
    }

    [Fact]
    public async Task Info_VirtualKeyAskingForAnotherKey_Is403WhetherItExistsOrNot()
    {
        await using var host = await ManagementHost.StartAsync();
        var (mine, _, _) = await host.GenerateAsync();
        var (other, _, _) = await host.GenerateAsync();

        var existing = await host.GetAsync("/key/info?key=" + other, bearer: mine);
        var missing = await host.GetAsync("/key/info?key=sk-does-not-exist", bearer: mine);

        Assert.Equal(HttpStatusCode.Forbidden, existing.Status);
        Assert.Equal(existing.Text, missing.Text);
        Assert.DoesNotContain(other, existing.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_UnknownKeyOrMasterWithoutKey_AreRefused()
    {
        await using var host = await ManagementHost.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/key/info?key=sk-unknown-key")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.GetAsync("/key/info")).Status);
    }

    [Fact]
    public async Task Update_ChangesOnlyTheFieldsSent()
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, token, _) = await host.GenerateAsync("""{"key_alias": "a", "max_budget": 5, "models": ["gpt-4o"], "metadata": {"x": 1}}""");
        host.Time.Advance(TimeSpan.FromMinutes(1));

        var reply = await host.PostAsync("/key/update", $$"""{"key": "{{key}}", "rpm_limit": 7}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var stored = (await host.KeysAsync()).Single(k => k.Token == token);
        Assert.Equal(7, stored.Limits.RpmLimit);
        Assert.Equal(5, stored.Limits.MaxBudget);
        Assert.Equal("a", stored.KeyAlias);
        Assert.Equal(["gpt-4o"], stored.Models);
        Assert.Equal(1, JsonDocument.Parse(stored.Metadata).RootElement.GetProperty("x").GetInt32());
        Assert.Equal(host.Time.GetUtcNow(), stored.UpdatedAt);
        Assert.Contains(new EntityChange(SpendEntityKind.Key, token), host.Changes.All);
    }

    [Fact]
    public async Task Update_NullClearsTheField()
    {
        await using var host = await ManagementHost.StartAsync();
        var (_, token, _) = await host.GenerateAsync("""{"key_alias": "a", "max_budget": 5, "budget_duration": "1d", "duration": "7d", "models": ["gpt-4o"]}""");

        var reply = await host.PostAsync("/key/update",
            $$"""{"key": "{{token}}", "max_budget": null, "budget_duration": null, "duration": null, "key_alias": null, "models": null}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var stored = (await host.KeysAsync()).Single();
        Assert.Null(stored.Limits.MaxBudget);
        Assert.Null(stored.Limits.BudgetDuration);
        Assert.Null(stored.Limits.BudgetResetAt);
        Assert.Null(stored.Expires);
        Assert.Null(stored.KeyAlias);
        Assert.Empty(stored.Models);
        Assert.Equal(JsonValueKind.Null, reply.Json.GetProperty("max_budget").ValueKind);
    }

    [Fact]
    public async Task Update_BudgetDurationAndSpend_RestartThePeriodAndSetSpend()
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, _, _) = await host.GenerateAsync();
        host.Time.Advance(TimeSpan.FromHours(3));

        var reply = await host.PostAsync("/key/update", $$"""{"key": "{{key}}", "budget_duration": "1mo", "spend": 0.5}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var stored = (await host.KeysAsync()).Single();
        Assert.Equal(host.Time.GetUtcNow().AddMonths(1), stored.Limits.BudgetResetAt);
        Assert.Equal(0.5, stored.Spend);
        Assert.Equal(0.5, reply.Json.GetProperty("spend").GetDouble());
    }

    [Fact]
    public async Task Update_UnknownKeyOrMissingKeyField_AreRefused()
    {
        await using var host = await ManagementHost.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await host.PostAsync("/key/update", """{"key": "sk-nope-nope", "rpm_limit": 1}""")).Status);
        var missing = await host.PostAsync("/key/update", """{"rpm_limit": 1}""");
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("key is required", missing.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_AliasHeldByAnotherKey_Is400AndOwnAliasIsFine()
    {
        await using var host = await ManagementHost.StartAsync();
        await host.GenerateAsync("""{"key_alias": "taken"}""");
        var (key, token, _) = await host.GenerateAsync("""{"key_alias": "mine"}""");

        var conflict = await host.PostAsync("/key/update", $$"""{"key": "{{key}}", "key_alias": "taken"}""");
        var same = await host.PostAsync("/key/update", $$"""{"key": "{{key}}", "key_alias": "mine", "rpm_limit": 3}""");

        Assert.Equal(HttpStatusCode.BadRequest, conflict.Status);
        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal("mine", (await host.KeysAsync()).Single(k => k.Token == token).KeyAlias);
    }
}
