using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Cli;

/// <summary>The real executable started elsewhere than its own folder, with relative paths, as a newcomer types them (issue 10).</summary>
public sealed class RelativePathsEndToEndTests
{
    [Fact]
    public async Task Start_RelativeConfigAndDefaultDataDir_ReadFromAndWrittenToTheWorkingDirectory()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        var directory = Directory.CreateTempSubdirectory("llmgate-relative-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "examples"));
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "examples", "config.yaml"), """
                model_list:
                  - model_name: mock-gpt
                    litellm_params: {model: openai/gpt-4o-mini, mock_response: "hello from the relative config"}
                general_settings:
                  master_key: sk-1234
                  alerting: ["pagerduty"]
                """);
            var environment = new Dictionary<string, string>
            {
                ["PAGERDUTY_API_KEY"] = "0123456789abcdef0123456789abcdef",
                ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
            };

            await using var gateway = await GatewayProcess.StartAsync("examples/config.yaml", dataDirectory: null, environment, workingDirectory: directory.FullName);
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-1234");
            using var response = await http.PostAsync("/v1/chat/completions",
                new StringContent("""{"model":"mock-gpt","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("hello from the relative config", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(directory.FullName, "data", "alerts.db")), "the default --data-dir is data/ in the working directory");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
