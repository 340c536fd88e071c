using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Cli;

/// <summary><c>llmgate alert silence</c>, <c>alert silences</c> and <c>alert expire</c>, the real executable, against a running gateway.</summary>
public sealed class SilenceCliEndToEndTests
{
    private const string MasterKey = "sk-master-cli-8d2f61";

    [Fact]
    public async Task Cli_AddListExpire_AgainstRunningGateway()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var gateway = await StartGatewayAsync(pagerDuty);
        var url = gateway.BaseAddress.ToString();

        var added = await RunAsync(MasterKey, "alert", "silence", "--match", "class=llm_api_failure,model_group=~gpt-4o|gpt-4o-mini", "--match", "channel!=slack",
            "--for", "1h30m", "--comment", "provider maintenance", "--created-by", "alice", "--url", url);
        Assert.True(added.ExitCode == 0, added.Error);
        var id = added.Output.Trim();
        Assert.True(Guid.TryParse(id, out _), id);

        var listed = await RunAsync(MasterKey, "alert", "silences", "--url", url);
        Assert.True(listed.ExitCode == 0, listed.Error);
        var lines = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        var row = Assert.Single(lines, l => l.StartsWith(id, StringComparison.Ordinal));
        Assert.Contains(" active ", row, StringComparison.Ordinal);
        Assert.Contains("class=llm_api_failure,model_group=~gpt-4o|gpt-4o-mini,channel!=slack", row, StringComparison.Ordinal);
        Assert.Contains("alice", row, StringComparison.Ordinal);
        Assert.EndsWith("provider maintenance", row.TrimEnd(), StringComparison.Ordinal);

        var silence = await ShownAsync(gateway, id);
        var length = silence["endsAt"]!.GetValue<DateTimeOffset>() - silence["startsAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(length, TimeSpan.FromMinutes(90) - TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(90)); // the start is clamped to the gateway's now

        var expired = await RunAsync(MasterKey, "alert", "expire", id, "--url", url);
        Assert.True(expired.ExitCode == 0, expired.Error);
        Assert.Equal("expired", (await ShownAsync(gateway, id))["status"]!["state"]!.GetValue<string>());
        foreach (var run in new[] { added, listed, expired })
        {
            Assert.DoesNotContain(MasterKey, run.Output + run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cli_BadInputOrWrongKey_ClearErrorNonZeroExit()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var gateway = await StartGatewayAsync(pagerDuty);
        var url = gateway.BaseAddress.ToString();

        var badMatcher = await RunAsync(MasterKey, "alert", "silence", "--match", "team=platform", "--for", "2h", "--comment", "x", "--url", url);
        var badDuration = await RunAsync(MasterKey, "alert", "silence", "--match", "class=llm_api_failure", "--for", "2 hours", "--comment", "x", "--url", url);
        var wrongKey = await RunAsync("sk-wrong-key-0000", "alert", "silences", "--url", url);
        var unknown = await RunAsync(MasterKey, "alert", "expire", "no-such-silence", "--url", url);

        Assert.NotEqual(0, badMatcher.ExitCode);
        Assert.Contains("unknown label name 'team'", badMatcher.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, badDuration.ExitCode);
        Assert.Contains("is not a duration", badDuration.Error, StringComparison.Ordinal);
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains("401", wrongKey.Error, StringComparison.Ordinal);
        Assert.Contains("LITELLM_MASTER_KEY", wrongKey.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-wrong-key-0000", wrongKey.Error, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("not found", unknown.Error, StringComparison.Ordinal);
        foreach (var run in new[] { badMatcher, badDuration, wrongKey, unknown })
        {
            Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal); // no stack trace
        }
    }

    private static Task<TestGateway> StartGatewayAsync(FakePagerDuty pagerDuty) => TestGateway.StartAsync($"""
        model_list:
          - model_name: gpt-4o
            litellm_params: {"{"}model: openai/gpt-4o, mock_response: hi{"}"}
        general_settings:
          master_key: {MasterKey}
          alerting: ["pagerduty"]
        """, new Dictionary<string, string>
    {
        ["PAGERDUTY_API_KEY"] = "0123456789abcdef0123456789abcdef",
        ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
    });

    private static async Task<JsonNode> ShownAsync(TestGateway gateway, string id)
    {
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return JsonNode.Parse(await http.GetStringAsync($"/api/v2/silence/{id}"))!;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string masterKey, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "llmgate.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LITELLM_MASTER_KEY"] = masterKey;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start llmgate");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
