using System.ClientModel;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmGate.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Observability;

/// <summary><c>json_logs</c> in the real executable: what a log shipper reads from its stdout and stderr.</summary>
public sealed partial class JsonLogsEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task JsonLogs_ConfigKey_EveryLineOneObjectFailedCallsWarningCarriesItsCallIdNoSecretOrPrompt()
    {
        var masterKey = "sk-master-" + Guid.NewGuid().ToString("N");
        var marker = "prompt-marker-" + Guid.NewGuid().ToString("N");
        await using var upstream = await FakeUpstream.StartAsync(apiKey: "sk-provider-" + Guid.NewGuid().ToString("N"));
        // A provider that echoes the prompt and the key in its error: the gateway must not pass that text to its log.
        upstream.FailWithStatus = 400;
        upstream.FailRemaining = 1;
        upstream.ErrorMessage = $"Invalid request near '{marker}' (key {upstream.ApiKey})";
        var directory = Directory.CreateTempSubdirectory("llmgate-jsonlogs-");
        try
        {
            var config = await WriteConfigAsync(directory, upstream, masterKey, """
                litellm_settings:
                  json_logs: true
                """);
            // The config's key alone turns it on.
            await using var gateway = await GatewayProcess.StartAsync(config, Path.Combine(directory.FullName, "data"), new Dictionary<string, string>
            {
                ["UPSTREAM_API_KEY"] = upstream.ApiKey,
                ["JSON_LOGS"] = "false",
            });
            var chat = GatewayClients.Chat(gateway.BaseAddress, "gpt-4o", masterKey);
            List<ChatMessage> prompt = [new UserChatMessage($"Tell me about {marker}")];

            var refused = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync(prompt));
            Assert.Equal(400, refused.Status);
            var failedCallId = CallId(refused.GetRawResponse()!);
            var answered = await chat.CompleteChatAsync(prompt);
            var answeredCallId = CallId(answered.GetRawResponse());
            Assert.NotEqual(failedCallId, answeredCallId);

            var warning = await gateway.StandardError.WaitForAsync(line => line.Contains(failedCallId, StringComparison.Ordinal), Patience);
            var output = gateway.StandardOutput.Lines;
            var errors = gateway.StandardError.Lines;

            Assert.NotEmpty(output);
            foreach (var line in output)
            {
                Assert.True(Level(Parse(line)) is "DEBUG" or "INFO", line);
            }

            foreach (var line in errors)
            {
                Assert.True(Level(Parse(line)) is "WARNING" or "ERROR" or "CRITICAL", line);
            }

            using (var document = JsonDocument.Parse(warning))
            {
                var line = document.RootElement;
                Assert.Equal("UpstreamError", line.GetProperty("event").GetString());
                Assert.Equal(failedCallId, line.GetProperty("call_id").GetString());
                Assert.Equal("gpt-4o", line.GetProperty("ModelGroup").GetString());
                Assert.Equal(400, line.GetProperty("Status").GetInt32());
                Assert.Matches(TraceId(), line.GetProperty("trace_id").GetString());
                Assert.False(string.IsNullOrEmpty(line.GetProperty("request_id").GetString()));
            }

            foreach (var line in output.Concat(errors))
            {
                Assert.DoesNotContain(masterKey, line, StringComparison.Ordinal);
                Assert.DoesNotContain(upstream.ApiKey, line, StringComparison.Ordinal);
                Assert.DoesNotContain(marker, line, StringComparison.Ordinal);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task JsonLogs_EnvironmentOnly_StartUpLinesAreJson()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var directory = Directory.CreateTempSubdirectory("llmgate-jsonlogs-env-");
        try
        {
            var config = await WriteConfigAsync(directory, upstream, "sk-1234", "");
            await using var gateway = await GatewayProcess.StartAsync(config, Path.Combine(directory.FullName, "data"), new Dictionary<string, string>
            {
                ["UPSTREAM_API_KEY"] = upstream.ApiKey,
                ["JSON_LOGS"] = "true",
            });

            var serving = await gateway.StandardOutput.WaitForAsync(line => line.Contains("deployment", StringComparison.OrdinalIgnoreCase), Patience);

            var line = Parse(serving);
            Assert.Equal("INFO", Level(line));
            Assert.Equal("LlmGate", line.GetProperty("logger").GetString());
            Assert.Equal("Serving", line.GetProperty("event").GetString());
            foreach (var written in gateway.StandardOutput.Lines.Concat(gateway.StandardError.Lines))
            {
                Parse(written);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> WriteConfigAsync(DirectoryInfo directory, FakeUpstream upstream, string masterKey, string litellmSettings)
    {
        var path = Path.Combine(directory.FullName, "config.yaml");
        await File.WriteAllTextAsync(path, $"""
            model_list:
              - model_name: gpt-4o
                litellm_params: {"{"}model: openai/gpt-4o, api_base: "{upstream.ApiBase}", api_key: os.environ/UPSTREAM_API_KEY{"}"}
            general_settings:
              master_key: {masterKey}
            {litellmSettings}
            """);
        return path;
    }

    private static string CallId(System.ClientModel.Primitives.PipelineResponse response) =>
        response.Headers.TryGetValue("x-litellm-call-id", out var id) && !string.IsNullOrEmpty(id)
            ? id
            : throw new InvalidOperationException("the answer has no x-litellm-call-id");

    /// <summary>One JSON object with the fields every line has.</summary>
    private static JsonElement Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Matches(Timestamp(), root.GetProperty("timestamp").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("level").ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("logger").ValueKind);
        return root.Clone();
    }

    private static string? Level(JsonElement line) => line.GetProperty("level").GetString();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex Timestamp();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex TraceId();
}
