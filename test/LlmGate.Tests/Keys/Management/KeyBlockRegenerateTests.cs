using System.Net;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys.Management;

public sealed class KeyBlockRegenerateTests
{
    [Fact]
    public async Task BlockThenUnblock_SetsBlockedAndAnnouncesEachChange()
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, token, _) = await host.GenerateAsync();
        var before = host.Changes.All.Count;

        var blocked = await host.PostAsync("/key/block", $$"""{"key": "{{key}}"}""");
        Assert.True(blocked.Json.GetProperty("blocked").GetBoolean());
        Assert.True((await host.KeysAsync()).Single().Blocked);

        var unblocked = await host.PostAsync("/key/unblock", $$"""{"key": "{{token}}"}""");
        Assert.False(unblocked.Json.GetProperty("blocked").GetBoolean());
        Assert.False((await host.KeysAsync()).Single().Blocked);
        Assert.Equal(2, host.Changes.All.Skip(before).Count(c => c == new EntityChange(SpendEntityKind.Key, token)));
        Assert.Equal(HttpStatusCode.NotFound, (await host.PostAsync("/key/block", """{"key": "sk-unknown-key"}""")).Status);
    }

    [Fact]
    public async Task Regenerate_OldKeyStopsAndNewKeyWorksWithTheSameRecord()
    {
        await using var host = await ManagementHost.StartAsync();
        var (oldKey, oldToken, _) = await host.GenerateAsync("""{"key_alias": "rotating", "max_budget": 3}""");

        var reply = await host.PostAsync("/key/regenerate", $$"""{"key": "{{oldKey}}", "rpm_limit": 9}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var newKey = reply.Json.GetProperty("key").GetString()!;
        var newToken = KeyHashes.Of(newKey);
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(newToken, reply.Json.GetProperty("token").GetString());
        var stored = Assert.Single((await host.KeysAsync()));
        Assert.Equal(newToken, stored.Token);
        Assert.Equal("rotating", stored.KeyAlias);
        Assert.Equal(3, stored.Limits.MaxBudget);
        Assert.Equal(9, stored.Limits.RpmLimit);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/key/info", bearer: oldKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/key/info", bearer: newKey)).Status);
        Assert.Contains(new EntityChange(SpendEntityKind.Key, oldToken), host.Changes.All);
        Assert.Contains(new EntityChange(SpendEntityKind.Key, newToken), host.Changes.All);
    }

    [Fact]
    public async Task Regenerate_KeyInPathByHash_WithCustomNewKey()
    {
        await using var host = await ManagementHost.StartAsync();
        var (_, oldToken, _) = await host.GenerateAsync();

        var reply = await host.PostAsync($"/key/{oldToken}/regenerate", """{"new_key": "sk-rotated-custom-1"}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("sk-rotated-custom-1", reply.Json.GetProperty("key").GetString());
        Assert.Equal(KeyHashes.Of("sk-rotated-custom-1"), Assert.Single((await host.KeysAsync())).Token);
        Assert.Equal(HttpStatusCode.NotFound, (await host.PostAsync($"/key/{oldToken}/regenerate", "{}")).Status);
    }

    [Fact]
    public async Task Regenerate_GracePeriod_IsRefusedRatherThanIgnored()
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, token, _) = await host.GenerateAsync();

        var reply = await host.PostAsync("/key/regenerate", $$"""{"key": "{{key}}", "grace_period": "24h"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("grace_period is not supported by LlmGate yet", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(token, Assert.Single((await host.KeysAsync())).Token);
    }
}
