using System.Net;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys.Management;

public sealed class SpendLogsTests
{
    private static readonly DateTimeOffset May1 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Logs_AreShownInLiteLlmFieldNames()
    {
        await using var host = await ManagementHost.StartAsync();
        await host.AddLogAsync(Row("r1", KeyHashes.Of("sk-alpha-key"), "u1", May1) with { KeyAlias = "alpha", TeamId = "t1" });

        var reply = await host.GetAsync("/spend/logs");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var row = Assert.Single(reply.Json.EnumerateArray());
        Assert.Equal("r1", row.GetProperty("request_id").GetString());
        Assert.Equal("acompletion", row.GetProperty("call_type").GetString());
        Assert.Equal(KeyHashes.Of("sk-alpha-key"), row.GetProperty("api_key").GetString());
        Assert.Equal(0.01, row.GetProperty("spend").GetDouble());
        Assert.Equal(30, row.GetProperty("total_tokens").GetInt64());
        Assert.Equal(10, row.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(20, row.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(May1, row.GetProperty("startTime").GetDateTimeOffset());
        Assert.Equal(May1.AddSeconds(2), row.GetProperty("endTime").GetDateTimeOffset());
        Assert.Equal("gpt-4o", row.GetProperty("model").GetString());
        Assert.Equal("dep-gpt4o", row.GetProperty("model_id").GetString());
        Assert.Equal("gpt-4o", row.GetProperty("model_group").GetString());
        Assert.Equal("openai", row.GetProperty("custom_llm_provider").GetString());
        Assert.Equal("u1", row.GetProperty("user").GetString());
        Assert.Equal("t1", row.GetProperty("team_id").GetString());
        Assert.Equal("success", row.GetProperty("status").GetString());
        var metadata = row.GetProperty("metadata");
        Assert.Equal("alpha", metadata.GetProperty("user_api_key_alias").GetString());
        Assert.Equal("t1", metadata.GetProperty("user_api_key_team_id").GetString());
        Assert.Equal("u1", metadata.GetProperty("user_api_key_user_id").GetString());
    }

    [Fact]
    public async Task Logs_FilterByKeyUserRequestAndDates()
    {
        await using var host = await ManagementHost.StartAsync();
        var alpha = KeyHashes.Of("sk-alpha-key");
        await host.AddLogAsync(Row("r1", alpha, "u1", May1));
        await host.AddLogAsync(Row("r2", alpha, "u2", May1.AddDays(1)));
        await host.AddLogAsync(Row("r3", KeyHashes.Of("sk-beta-key"), "u1", May1.AddDays(3)));

        Assert.Equal(["r2", "r1"], Ids(await host.GetAsync("/spend/logs?api_key=sk-alpha-key")));
        Assert.Equal(["r2", "r1"], Ids(await host.GetAsync("/spend/logs?api_key=" + alpha)));
        Assert.Equal(["r3", "r1"], Ids(await host.GetAsync("/spend/logs?user_id=u1")));
        Assert.Equal(["r2"], Ids(await host.GetAsync("/spend/logs?request_id=r2")));
        Assert.Equal(["r2", "r1"], Ids(await host.GetAsync("/spend/logs?start_date=2026-05-01&end_date=2026-05-02")));
        Assert.Equal(["r3"], Ids(await host.GetAsync("/spend/logs?start_date=2026-05-03")));
        Assert.Equal(["r1"], Ids(await host.GetAsync("/spend/logs?end_date=2026-05-01T23:00:00Z")));

        static IEnumerable<string?> Ids(Reply reply) => reply.Json.EnumerateArray().Select(r => r.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task Logs_BadDate_Is400NamingIt()
    {
        await using var host = await ManagementHost.StartAsync();

        var reply = await host.GetAsync("/spend/logs?start_date=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("start_date", reply.Json.GetProperty("error").GetProperty("param").GetString());
    }

    private static SpendLogRow Row(string id, string apiKey, string user, DateTimeOffset start) => new()
    {
        RequestId = id,
        CallType = "acompletion",
        ApiKey = apiKey,
        Spend = 0.01,
        PromptTokens = 10,
        CompletionTokens = 20,
        TotalTokens = 30,
        StartTime = start,
        EndTime = start.AddSeconds(2),
        Model = "gpt-4o",
        ModelId = "dep-gpt4o",
        ModelGroup = "gpt-4o",
        Provider = "openai",
        UserId = user,
        Status = "success",
    };
}
