using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using LlmGate.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.Tests.Ui;

public sealed class LiveEventsTests
{
    private const string MasterKey = "sk-console-live-9d2c";

    [Fact]
    public async Task Events_FailuresThroughUpstream_NewerSnapshotShowsUnhealthyDeploymentAndOpenIncident()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        var yaml = $$"""
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
                model_info: {id: d-live}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {{MasterKey}}
              alerting: ["webhook"]
              alerting_args: {failure_threshold: 2, failure_threshold_window_seconds: 60}
            """;
        var environment = new Dictionary<string, string> { ["WEBHOOK_URL"] = receiver.Url.ToString() };
        await using var gateway = await TestGateway.StartAsync(yaml, environment);
        using var client = new UiTestClient(gateway);
        using (await client.SignInAsync(MasterKey))
        {
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await client.Http.GetAsync(new Uri("ui/api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        using var first = await NextSnapshotAsync(reader, cancel.Token);
        var firstSequence = first.RootElement.GetProperty("sequence").GetInt64();
        var firstDeployment = Assert.Single(first.RootElement.GetProperty("deployments").EnumerateArray());
        Assert.Equal("d-live", firstDeployment.GetProperty("id").GetString());
        Assert.Equal("healthy", firstDeployment.GetProperty("health").GetString());
        Assert.Empty(first.RootElement.GetProperty("incidents").EnumerateArray());

        upstream.FailWithStatus = 503;
        var chat = new ChatClient("gpt-4o", new ApiKeyCredential(MasterKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.BaseAddress, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(10),
        });
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync(["Hi"]));
        }

        // Pushed, not polled: keep reading the same stream until a snapshot shows both.
        while (true)
        {
            using var next = await NextSnapshotAsync(reader, cancel.Token);
            var root = next.RootElement;
            Assert.True(root.GetProperty("sequence").GetInt64() > firstSequence);
            var deployment = Assert.Single(root.GetProperty("deployments").EnumerateArray());
            var incidents = root.GetProperty("incidents").GetArrayLength();
            if (deployment.GetProperty("health").GetString() != "healthy" && incidents > 0)
            {
                Assert.Contains(deployment.GetProperty("failures_by_status").EnumerateArray(), f => f.GetProperty("status").GetString() == "503");
                break;
            }
        }

        using var state = await client.Http.GetAsync(new Uri("ui/api/state", UriKind.Relative), cancel.Token);
        var stateText = await state.Content.ReadAsStringAsync(cancel.Token);
        Assert.Equal("application/json", state.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(MasterKey, stateText, StringComparison.Ordinal);
        Assert.DoesNotContain(upstream.ApiKey, stateText, StringComparison.Ordinal);
        Assert.DoesNotContain(receiver.Url.ToString(), stateText, StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> NextSnapshotAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]);
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }
}
