using System.Net;
using System.Text.Json;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys.Management;

public sealed class KeyGenerateTests
{
    [Fact]
    public async Task Generate_NoBody_ReturnsNewSkKeyStoredOnlyAsItsHash()
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/key/generate", "");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var key = reply.Json.GetProperty("key").GetString()!;
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);
        Assert.Equal(3 + 22, key.Length); // 16 random bytes, base64url without padding
        var token = reply.Json.GetProperty("token").GetString()!;
        Assert.Equal(KeyHashes.Of(key), token);
        Assert.Matches("^[0-9a-f]{64}$", token);
        Assert.Equal("sk-..." + key[^4..], reply.Json.GetProperty("key_name").GetString());
        Assert.False(string.IsNullOrEmpty(reply.Json.GetProperty("user_id").GetString()));
        var stored = Assert.Single((await host.KeysAsync()));
        Assert.Equal(token, stored.Token);
        Assert.DoesNotContain(key, stored.ToString(), StringComparison.Ordinal);
        Assert.Contains(new EntityChange(SpendEntityKind.Key, token), host.Changes.All);
    }

    [Fact]
    public async Task Generate_EveryField_IsStoredAndEchoed()
    {
        await using var host = await ManagementHost.StartAsync();
        await host.PostAsync("/team/new", """{"team_id": "t1"}""");

        var reply = await host.PostAsync("/key/generate", """
            {"key_alias": "ci", "models": ["gpt-4o", "openai/*"], "max_budget": 10.5, "soft_budget": 8,
             "budget_duration": "30d", "rpm_limit": 60, "tpm_limit": 1000, "max_parallel_requests": 2, "duration": "1h",
             "metadata": {"owner": "ops"}, "tags": ["nightly"], "aliases": {"fast": "gpt-4o"}, "team_id": "t1", "user_id": "u1",
             "blocked": false, "spend": 1.25, "model_max_budget": {}}
            """);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var json = reply.Json;
        var now = host.Time.GetUtcNow();
        Assert.Equal("ci", json.GetProperty("key_alias").GetString());
        Assert.Equal(["gpt-4o", "openai/*"], json.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(10.5, json.GetProperty("max_budget").GetDouble());
        Assert.Equal(8, json.GetProperty("soft_budget").GetDouble());
        Assert.Equal("30d", json.GetProperty("budget_duration").GetString());
        Assert.Equal(now.AddDays(30), json.GetProperty("budget_reset_at").GetDateTimeOffset());
        Assert.Equal(now.AddHours(1), json.GetProperty("expires").GetDateTimeOffset());
        Assert.Equal(60, json.GetProperty("rpm_limit").GetInt64());
        Assert.Equal(1000, json.GetProperty("tpm_limit").GetInt64());
        Assert.Equal(2, json.GetProperty("max_parallel_requests").GetInt64());
        Assert.Equal("ops", json.GetProperty("metadata").GetProperty("owner").GetString());
        Assert.Equal("nightly", json.GetProperty("metadata").GetProperty("tags")[0].GetString());
        Assert.Equal("gpt-4o", json.GetProperty("aliases").GetProperty("fast").GetString());
        Assert.Equal("1h", json.GetProperty("duration").GetString());
        Assert.Equal("t1", json.GetProperty("team_id").GetString());
        Assert.Equal("u1", json.GetProperty("user_id").GetString());
        Assert.Equal(1.25, json.GetProperty("spend").GetDouble());

        var stored = Assert.Single((await host.KeysAsync()));
        Assert.Equal(10.5, stored.Limits.MaxBudget);
        Assert.Equal(now.AddDays(30), stored.Limits.BudgetResetAt);
        Assert.Equal(1.25, stored.Spend);
        Assert.Equal("t1", stored.TeamId);
    }

    [Fact]
    public async Task Generate_NullsInAnswer_AreWrittenAsLiteLlmDoes()
    {
        await using var host = await ManagementHost.StartAsync();

        var (_, _, body) = await host.GenerateAsync();

        Assert.Equal(JsonValueKind.Null, body.GetProperty("max_budget").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("expires").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("team_id").ValueKind);
    }

    [Fact]
    public async Task Generate_CustomKey_IsUsedAsGivenAndHashed()
    {
        await using var host = await ManagementHost.StartAsync();

        var (key, token, _) = await host.GenerateAsync("""{"key": "sk-my-own-key-123"}""");

        Assert.Equal("sk-my-own-key-123", key);
        Assert.Equal(KeyHashes.Of("sk-my-own-key-123"), token);
        var again = await host.PostAsync("/key/generate", """{"key": "sk-my-own-key-123"}""");
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
    }

    [Theory]
    [InlineData("my-own-secret-value")]
    [InlineData("sk-a")]
    public async Task Generate_CustomKeyWithoutSkPrefix_Is400WithoutEchoingIt(string custom)
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/key/generate", $$"""{"key": "{{custom}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("must start with 'sk-'", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(custom, reply.Text, StringComparison.Ordinal);
        Assert.Empty((await host.KeysAsync()));
    }

    [Fact]
    public async Task Generate_CustomKeyEqualToMasterKey_IsRefused()
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.PostAsync("/key/generate", $$"""{"key": "{{ManagementHost.MasterKey}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.DoesNotContain(ManagementHost.MasterKey, reply.Text, StringComparison.Ordinal);
        Assert.Empty((await host.KeysAsync()));
    }

    [Fact]
    public async Task Generate_LengthFromEnvironment_SetsRandomBytes()
    {
        var options = KeyManagementOptions.FromEnvironment(name => name == "LENGTH_OF_LITELLM_GENERATED_KEY" ? "32" : null);
        await using var host = await ManagementHost.StartAsync(options: options);

        var (key, _, _) = await host.GenerateAsync();

        Assert.Equal(3 + 43, key.Length);
    }

    [Fact]
    public async Task Plaintext_AppearsOnlyInTheGenerateAnswer()
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, token, _) = await host.GenerateAsync("""{"user_id": "u1"}""");

        var answers = new[]
        {
            await host.GetAsync("/key/info?key=" + key),
            await host.GetAsync("/key/list?return_full_object=true"),
            await host.GetAsync("/key/list"),
            await host.GetAsync("/user/info?user_id=u1"),
            await host.PostAsync("/key/update", $$"""{"key": "{{key}}", "rpm_limit": 5}"""),
            await host.PostAsync("/key/block", $$"""{"key": "{{key}}"}"""),
            await host.PostAsync("/key/delete", $$"""{"keys": ["{{key}}"]}"""),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.DoesNotContain(key, a.Text, StringComparison.Ordinal));
        Assert.Contains(token, answers[0].Text, StringComparison.Ordinal);
    }
}
