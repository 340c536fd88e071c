using System.Net;
using LlmGate.Keys;
using LlmGate.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Keys;

/// <summary>Virtual keys on a real PostgreSQL, through one real gateway process: created, used, refused, blocked.</summary>
public sealed class PostgresKeysTests
{
    [PostgresGatewayFact]
    public async Task KeyCreatedThroughApi_CalledWithOpenAiSdk_SpendAndLogRowInPostgres()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var gateways = await ReplicasGateways.StartAsync(1, upstream, database.Url);
        var key = await gateways.GenerateKeyAsync(0, """{"key_alias": "pg-app", "models": ["gpt-4o"], "max_budget": 10}""");
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);

        var completion = await GatewayClients.Chat(gateways[0].BaseAddress, "gpt-4o", key)
            .CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { MaxOutputTokenCount = 10 });

        Assert.Equal(5, completion.Value.Usage.InputTokenCount);
        Assert.Equal(6, completion.Value.Usage.OutputTokenCount);
        await gateways.WaitForSpendAsync(0, key, ReplicasGateways.CallCost, TimeSpan.FromSeconds(10));
        var (status, logs) = await gateways.GetAsync(0, "/spend/logs?api_key=" + key);
        Assert.Equal(HttpStatusCode.OK, status);
        var row = Assert.Single(logs.EnumerateArray());
        Assert.Equal(KeyHashes.Of(key), row.GetProperty("api_key").GetString());
        Assert.Equal(ReplicasGateways.CallCost, row.GetProperty("spend").GetDouble());
        Assert.Equal(5, row.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(6, row.GetProperty("completion_tokens").GetInt64());
        Assert.Equal("gpt-4o", row.GetProperty("model_group").GetString());
        Assert.Equal("gpt-4o-d0", row.GetProperty("model_id").GetString());
        Assert.Equal("success", row.GetProperty("status").GetString());
        Assert.Equal("pg-app", row.GetProperty("metadata").GetProperty("user_api_key_alias").GetString());
    }

    [PostgresGatewayFact]
    public async Task RefusalsAndBlock_OnPostgres_AnswerLiteLlmBodies_UnblockRestores()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var gateways = await ReplicasGateways.StartAsync(1, upstream, database.Url);
        var key = await gateways.GenerateKeyAsync(0, """{"models": ["gpt-4o"]}""");
        using var http = gateways.ClientWithKey(0, key);

        using (var refused = await ReplicasGateways.ChatAsync(http, "gpt-4o-mini"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            ReplicasGateways.AssertError(await ReplicasGateways.JsonOf(refused), 403,
                "key not allowed to access model. This key can only access models=['gpt-4o']. Tried to access gpt-4o-mini",
                "key_model_access_denied", "model");
        }

        var (blockStatus, blocked) = await gateways.PostAsync(0, "/key/block", $$"""{"key": "{{key}}"}""");
        Assert.Equal(HttpStatusCode.OK, blockStatus);
        Assert.True(blocked.GetProperty("blocked").GetBoolean());
        using (var refused = await ReplicasGateways.ChatAsync(http))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            ReplicasGateways.AssertError(await ReplicasGateways.JsonOf(refused), 401,
                "Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.", "auth_error", "None");
        }

        var (unblockStatus, _) = await gateways.PostAsync(0, "/key/unblock", $$"""{"key": "{{key}}"}""");
        Assert.Equal(HttpStatusCode.OK, unblockStatus);
        using (var served = await ReplicasGateways.ChatAsync(http))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        // Refused calls cost nothing and reached no upstream: only the one served call did.
        Assert.Single(upstream.Received);
        await gateways.WaitForSpendAsync(0, key, ReplicasGateways.CallCost, TimeSpan.FromSeconds(10));
    }
}
