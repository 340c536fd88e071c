using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Pricing;
using LlmGate.Testing;
using Microsoft.Extensions.Time.Testing;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace LlmGate.EndToEnd.Keys;

/// <summary>
/// Issue #14 on the embedded SQLite store: spend from usage × price for plain, streamed and embedding calls, written
/// to the store and the spend logs; budgets crossed by real cost (streams too), reset by <c>budget_duration</c>,
/// shared by a team, and held by reservations under 50 concurrent calls.
/// </summary>
public sealed class KeySpendEndToEndTests
{
    private const double Precision = 1e-9;

    [Fact]
    public async Task KeyThroughSdk_ChatStreamAndEmbeddings_SpendIsUsageTimesPriceAndLogsHoldNoText()
    {
        await using var gate = await KeyedGateway.StartAsync();
        var key = await gate.GenerateKeyAsync("""{"key_alias":"e2e-app"}""");
        var token = (await gate.KeyInfoAsync(key))["token"]!.GetValue<string>();
        var prompt = "confidential-prompt-" + Guid.NewGuid().ToString("N");

        var chat = GatewayClients.Chat(gate.Gateway.BaseAddress, "gpt-4o-mini", key);
        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage(prompt)]);
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(prompt)]))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        OpenAIEmbedding embedding = await GatewayClients.Embeddings(gate.Gateway.BaseAddress, "text-embedding-3-small", key).GenerateEmbeddingAsync(prompt);

        Assert.Equal("Hello from the fake upstream.", completion.Content[0].Text);
        Assert.Equal("word0 word1 word2 ", streamed.ToString());
        Assert.Equal(3, embedding.ToFloats().Length);
        // The fake's usage: plain 5 + 6, streamed 5 (2 cached, no cache price: input price) + 4, embeddings 3.
        var plainCost = (5 * KeyedGateway.InputPrice) + (6 * KeyedGateway.OutputPrice);
        var streamCost = (5 * KeyedGateway.InputPrice) + (4 * KeyedGateway.OutputPrice);
        var embeddingCost = 3 * KeyedGateway.InputPrice;
        var total = plainCost + streamCost + embeddingCost;
        var info = await gate.WaitForKeyInfoAsync(key, i => KeyedGateway.Spend(i) >= total - Precision, $"spend {total}");
        Assert.Equal(total, KeyedGateway.Spend(info), Precision);

        var text = await gate.WaitForSpendLogsAsync(key, rows => rows.Count >= 3, "three spend-log rows");
        var rows = JsonNode.Parse(text)!.AsArray().Select(r => r!).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(token, row["api_key"]!.GetValue<string>());
            Assert.Equal("success", row["status"]!.GetValue<string>());
            Assert.Equal("e2e-app", row["metadata"]!["user_api_key_alias"]!.GetValue<string>());
        });
        var plain = Assert.Single(rows, r => r["call_type"]!.GetValue<string>() == "acompletion" && r["completion_tokens"]!.GetValue<long>() == 6);
        AssertRow(plain, "gpt-4o-mini", 5, 6, plainCost);
        var stream = Assert.Single(rows, r => r["call_type"]!.GetValue<string>() == "acompletion" && r["completion_tokens"]!.GetValue<long>() == 4);
        AssertRow(stream, "gpt-4o-mini", 5, 4, streamCost);
        var embedded = Assert.Single(rows, r => r["call_type"]!.GetValue<string>() == "aembedding");
        AssertRow(embedded, "text-embedding-3-small", 3, 0, embeddingCost);

        // Never a prompt or a completion, in any field.
        Assert.DoesNotContain(prompt, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hello from the fake upstream", text, StringComparison.Ordinal);
        Assert.DoesNotContain("word0", text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamedCalls_ClientDidNotAskForUsage_NoUsageChunkAndCostCrossesTheBudget()
    {
        await using var gate = await KeyedGateway.StartAsync();
        var key = await gate.GenerateKeyAsync("""{"max_budget":0.03}""");
        using var http = gate.Client(key);

        // Reserves 1 × 0.01; the answer's 4 completion tokens cost 0.04, over the budget.
        using var streamed = await KeyedGateway.ChatAsync(http, "metered", maxTokens: 1, stream: true);
        var events = (await streamed.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();

        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(gate.Upstream.StreamChunks + 2, events.Count);
        Assert.All(events[..^1], e =>
        {
            var chunk = JsonNode.Parse(e)!;
            Assert.NotEmpty(chunk["choices"]!.AsArray());
            Assert.Null(chunk["usage"]);
        });
        Assert.Contains("\"include_usage\":true", Assert.Single(gate.Upstream.Received).Body, StringComparison.Ordinal);

        using var refused = await KeyedGateway.ChatAsync(http, "metered", maxTokens: 1, stream: true);
        var message = await KeyedGateway.AssertErrorAsync(refused, 429, "budget_exceeded", "Budget has been exceeded! Key=");
        Assert.Contains("Current cost: 0.04, Max budget: 0.03", message, StringComparison.Ordinal);
        Assert.Single(gate.Upstream.Received);
        var info = await gate.WaitForKeyInfoAsync(key, i => KeyedGateway.Spend(i) > 0, "streamed spend written");
        Assert.Equal(4 * KeyedGateway.MeteredOutputPrice, KeyedGateway.Spend(info), Precision);
    }

    [Fact]
    public async Task BudgetDuration_SpentKeyRefusedUntilThePeriodEnds_ThenSpendStartsAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 10, TimeSpan.Zero));
        await using var gate = await KeyedGateway.StartAsync(time);
        var key = await gate.GenerateKeyAsync("""{"max_budget":0.03,"budget_duration":"1h"}""");
        using var http = gate.Client(key);
        var callCost = 6 * KeyedGateway.MeteredOutputPrice;

        using (var first = await KeyedGateway.ChatAsync(http, "metered"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var spent = await gate.WaitForKeyInfoAsync(key, i => KeyedGateway.Spend(i) > 0 && i["budget_reset_at"] is not null, "first period's spend written");
        Assert.Equal(callCost, KeyedGateway.Spend(spent), Precision);
        var firstReset = spent["budget_reset_at"]!.GetValue<DateTimeOffset>();
        Assert.InRange(firstReset, new DateTimeOffset(2026, 3, 2, 11, 0, 10, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 11, 0, 30, TimeSpan.Zero));
        using (var refused = await KeyedGateway.ChatAsync(http, "metered"))
        {
            await KeyedGateway.AssertErrorAsync(refused, 429, "budget_exceeded", "Budget has been exceeded! Key=");
        }

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(20));
        using (var again = await KeyedGateway.ChatAsync(http, "metered"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            // The new period's spend: this call's cost only.
            Assert.Equal("0.06", KeyedGateway.Header(again, "x-litellm-key-spend"));
        }

        // The new period holds only the last call's cost, and resets an hour after the first period did.
        var reset = await gate.WaitForKeyInfoAsync(key, i => i["budget_reset_at"]!.GetValue<DateTimeOffset>() > firstReset && KeyedGateway.Spend(i) > 0, "new period written");
        Assert.Equal(callCost, KeyedGateway.Spend(reset), Precision);
        Assert.Equal(firstReset.AddHours(1), reset["budget_reset_at"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Regenerate_RightAfterCalls_TheNewKeyKeepsTheSpendNotYetWritten()
    {
        // The clock never moves: the spend writer writes nothing on its own, so the calls' spend is still held in memory.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 10, TimeSpan.Zero));
        await using var gate = await KeyedGateway.StartAsync(time);
        var key = await gate.GenerateKeyAsync();
        using var http = gate.Client(key);
        for (var i = 0; i < 3; i++)
        {
            // Streamed: the body ends only after the call's end is recorded, its spend included.
            using var response = await KeyedGateway.ChatAsync(http, "metered", stream: true);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(0, KeyedGateway.Spend(await gate.KeyInfoAsync(key)));

        var regenerated = await gate.PostAdminAsync("/key/regenerate", $$"""{"key":"{{key}}"}""");

        var spent = 3 * 4 * KeyedGateway.MeteredOutputPrice; // the fake's streams report 4 completion tokens
        Assert.Equal(spent, regenerated["spend"]!.GetValue<double>(), Precision);
        Assert.Equal(spent, KeyedGateway.Spend(await gate.KeyInfoAsync(regenerated["key"]!.GetValue<string>())), Precision);
    }

    [Fact]
    public async Task FiftyConcurrentCalls_BudgetFitsTenReservations_SpendNeverOverByMoreThanOneReservation()
    {
        await using var gate = await KeyedGateway.StartAsync();
        gate.Upstream.ResponseDelay = TimeSpan.FromMilliseconds(300);
        var body = KeyedGateway.ChatBody("metered", maxTokens: 6);
        // The gateway's formula: prompt estimate (1 token per 2 body bytes) × input price + max_tokens × output price.
        var reservation = (PromptTokenEstimate.FromUtf8Bytes(Encoding.UTF8.GetByteCount(body)) * KeyedGateway.MeteredInputPrice) + (6 * KeyedGateway.MeteredOutputPrice);
        var maxBudget = (10 * reservation) + (reservation / 2);
        var key = await gate.GenerateKeyAsync($$"""{"max_budget":{{maxBudget.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");
        using var http = gate.Client(key);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            using var response = await KeyedGateway.PostChatAsync(http, body);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

        var admitted = results.Count(r => r.StatusCode == HttpStatusCode.OK);
        var refused = results.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        // Each call costs exactly what it reserved (free input, 6 completion tokens = max_tokens): exactly 10 fit.
        Assert.Equal(10, admitted);
        Assert.Equal(50 - admitted, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.Equal("budget_exceeded", JsonNode.Parse(r.Body)!["error"]!["type"]!.GetValue<string>());
        });
        Assert.Equal(admitted, gate.Upstream.Received.Count);
        var callCost = 6 * KeyedGateway.MeteredOutputPrice;
        var info = await gate.WaitForKeyInfoAsync(key, i => KeyedGateway.Spend(i) >= (admitted * callCost) - Precision, $"spend of {admitted} calls");
        Assert.Equal(admitted * callCost, KeyedGateway.Spend(info), Precision);
        Assert.True(KeyedGateway.Spend(info) <= maxBudget + reservation, $"spend {KeyedGateway.Spend(info)} is over {maxBudget} by more than one reservation ({reservation})");
    }

    [Fact]
    public async Task TeamBudget_SpentThroughOneKey_BothKeysRefusedWithTeamInMessage()
    {
        await using var gate = await KeyedGateway.StartAsync();
        await gate.PostAdminAsync("/team/new", """{"team_id":"team-e2e","max_budget":0.03}""");
        var first = await gate.GenerateKeyAsync("""{"team_id":"team-e2e"}""");
        var second = await gate.GenerateKeyAsync("""{"team_id":"team-e2e"}""");
        using var firstHttp = gate.Client(first);
        using var secondHttp = gate.Client(second);

        using (var spending = await KeyedGateway.ChatAsync(firstHttp, "metered"))
        {
            Assert.Equal(HttpStatusCode.OK, spending.StatusCode);
        }

        foreach (var http in new[] { secondHttp, firstHttp })
        {
            using var refused = await KeyedGateway.ChatAsync(http, "metered");
            var message = await KeyedGateway.AssertErrorAsync(refused, 429, "budget_exceeded", "Budget has been exceeded! Team=team-e2e");
            Assert.Contains("Current cost: 0.06, Max budget: 0.03", message, StringComparison.Ordinal);
        }

        Assert.Single(gate.Upstream.Received);
        using var master = await KeyedGateway.ChatAsync(gate.Admin, "metered");
        Assert.Equal(HttpStatusCode.OK, master.StatusCode);
    }

    [Fact]
    public async Task Readiness_SqliteStore_DbConnected()
    {
        await using var gate = await KeyedGateway.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = gate.Gateway.BaseAddress };

        using var response = await anonymous.GetAsync("/health/readiness");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var readiness = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("connected", readiness["db"]!.GetValue<string>());
        Assert.Equal("healthy", readiness["status"]!.GetValue<string>());
    }

    private static void AssertRow(JsonNode row, string modelGroup, long prompt, long completion, double cost)
    {
        Assert.Equal(modelGroup, row["model_group"]!.GetValue<string>());
        Assert.Equal(prompt, row["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(completion, row["completion_tokens"]!.GetValue<long>());
        Assert.Equal(prompt + completion, row["total_tokens"]!.GetValue<long>());
        Assert.Equal(cost, row["spend"]!.GetValue<double>(), Precision);
    }
}
