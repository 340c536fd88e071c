using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Routing;

/// <summary>Retries, fallbacks, cooldowns and strategies through the real gateway, against several fake upstreams on 127.0.0.1.</summary>
public sealed class RouterReliabilityTests : IAsyncLifetime
{
    private const string MasterKey = "sk-1234";
    private const string ChatBody = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10); // a bound on a hung test, never a wait
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly WatchedTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task OneOfTwoDeploymentsAlways500_EveryRequestSucceedsAndTheBadOneRestsForCooldownTime()
    {
        var good = await UpstreamAsync();
        var bad = await UpstreamAsync();
        bad.FailWithStatus = 500;
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", good, "good")}
              - {Deployment("gpt-4o", bad, "bad")}
            router_settings:
              allowed_fails: 3
              cooldown_time: 5
            """, seed: 7);
        using var http = Http(gateway);

        // Failures 1-3 are allowed; the 4th within the minute starts the cooldown.
        for (var i = 0; i < 200 && bad.Received.Count < 4; i++)
        {
            using var response = await PostAsync(http, ChatBody);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(4, bad.Received.Count);
        for (var i = 0; i < 20; i++)
        {
            using var response = await PostAsync(http, ChatBody);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("good", response.Headers.GetValues("x-litellm-model-id").Single());
        }

        Assert.Equal(4, bad.Received.Count);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        using (var stillCooling = await PostAsync(http, ChatBody))
        {
            Assert.Equal(HttpStatusCode.OK, stillCooling.StatusCode);
        }

        Assert.Equal(4, bad.Received.Count);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        for (var i = 0; i < 100 && bad.Received.Count == 4; i++)
        {
            using var response = await PostAsync(http, ChatBody);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(5, bad.Received.Count);
        var status = JsonNode.Parse(await http.GetStringAsync("/alerting/status"))!;
        var deployment = status["deployments"]!.AsArray().Single()!;
        Assert.Equal("bad", deployment["deployment_id"]!.GetValue<string>());
        Assert.Equal(5, deployment["failed_attempts"]!.GetValue<long>());
        Assert.Equal(500, deployment["last_status"]!.GetValue<int>());
        Assert.NotNull(deployment["cooling_down_until"]); // a 5th failure in the same minute: cooling again
    }

    [Fact]
    public async Task WholeGroupFails_FallsBackToTheNamedGroupAndHeadersDescribeIt()
    {
        var primary = await UpstreamAsync();
        primary.FailWithStatus = 503;
        var backup = await UpstreamAsync();
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", primary, "primary")}
              - {Deployment("gpt-4o-mini", backup, "backup")}
            router_settings:
              num_retries: 1
              fallbacks:
                - gpt-4o: [gpt-4o-mini]
            """);
        using var http = Http(gateway);
        var timersBefore = _time.TimersCreated; // the gateway's own (the spend writer's tick) are not the back-off

        var call = PostAsync(http, ChatBody);
        await _time.WaitForTimerAsync(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(1), timersBefore).WaitAsync(Patience); // the back-off before the retry
        _time.Advance(TimeSpan.FromSeconds(1));
        using var response = await call.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, primary.Received.Count);
        Assert.Equal("gpt-4o-mini", JsonNode.Parse(Assert.Single(backup.Received).Body)!["model"]!.GetValue<string>());
        Assert.Equal("backup", Header(response, "x-litellm-model-id"));
        Assert.Equal("gpt-4o-mini", Header(response, "x-litellm-model-group"));
        Assert.Equal("0", Header(response, "x-litellm-attempted-retries"));
        Assert.Equal("1", Header(response, "x-litellm-attempted-fallbacks"));
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("openai/gpt-4o")]
    public async Task GroupServedByAWildcard_FallsBackByTheModelAskedFor(string asked)
    {
        var primary = await UpstreamAsync();
        primary.FailWithStatus = 503;
        var backup = await UpstreamAsync();
        var gateway = await GatewayAsync($$$"""
            model_list:
              - {model_name: "openai/*", litellm_params: {model: "openai/*", api_base: "{{{primary.ApiBase}}}", api_key: {{{primary.ApiKey}}}}}
              - {{{Deployment("small", backup, "backup")}}}
            router_settings:
              num_retries: 0
              fallbacks:
                - gpt-4o: [small]
            """);
        using var http = Http(gateway);

        using var response = await PostAsync(http, ChatBody.Replace("\"gpt-4o\"", $"\"{asked}\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gpt-4o", JsonNode.Parse(Assert.Single(primary.Received).Body)!["model"]!.GetValue<string>());
        Assert.Single(backup.Received);
        Assert.Equal(("small", "1"), (Header(response, "x-litellm-model-group"), Header(response, "x-litellm-attempted-fallbacks")));
    }

    [Fact]
    public async Task ContextLengthError_TakesTheContextWindowFallbackWithoutRetrying()
    {
        var small = await UpstreamAsync();
        small.FailWithStatus = 400;
        small.ErrorCode = "context_length_exceeded";
        small.ErrorMessage = "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.";
        var large = await UpstreamAsync();
        var other = await UpstreamAsync();
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", small, "small")}
              - {Deployment("gpt-4o-128k", large, "large")}
              - {Deployment("other", other, "other")}
            litellm_settings:
              fallbacks:
                - gpt-4o: [other]
              context_window_fallbacks:
                - gpt-4o: [gpt-4o-128k]
            """);

        ChatCompletion completion = await GatewayClients.Chat(gateway.BaseAddress, "gpt-4o").CompleteChatAsync([new UserChatMessage("a long prompt")]);

        Assert.Equal("Hello from the fake upstream.", completion.Content[0].Text);
        Assert.Single(small.Received);
        Assert.Single(large.Received);
        Assert.Empty(other.Received);
    }

    [Fact]
    public async Task BadRequest400_IsNeitherRetriedNorFallsBack()
    {
        var primary = await UpstreamAsync();
        primary.FailWithStatus = 400;
        primary.ErrorMessage = "Invalid value for 'temperature'.";
        var backup = await UpstreamAsync();
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", primary, "a")}
              - {Deployment("gpt-4o", primary, "b")}
              - {Deployment("backup", backup, "backup")}
            router_settings:
              fallbacks:
                - gpt-4o: [backup]
              default_fallbacks: ["backup"]
            """);
        using var http = Http(gateway);

        using var response = await PostAsync(http, ChatBody);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid value for 'temperature'.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(primary.Received);
        Assert.Empty(backup.Received);
        Assert.Equal("0", Header(response, "x-litellm-attempted-retries"));
    }

    [Fact]
    public async Task RateLimitedWithRetryAfter_RetriesOnlyAfterThatLong()
    {
        var upstream = await UpstreamAsync();
        upstream.FailWithStatus = 429;
        upstream.FailRemaining = 1;
        upstream.RetryAfter = "2";
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", upstream, "only")}
            """);
        using var http = Http(gateway);
        var timersBefore = _time.TimersCreated;

        // The clock moves only by a wait the gateway itself starts (not the request's 10-minute timeout), so the gap
        // between the attempts, stamped on that clock by the upstream, is exactly what the gateway waited.
        var call = PostAsync(http, ChatBody);
        var backOff = _time.WaitForTimerAsync(d => d <= TimeSpan.FromMinutes(1), timersBefore);
        var retried = upstream.WaitForRequestsAsync(2);
        if (await Task.WhenAny(backOff, retried).WaitAsync(Patience) == backOff)
        {
            Assert.Single(upstream.Received);
            _time.Advance(await backOff);
        }

        using var response = await call.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Header(response, "x-litellm-attempted-retries"));
        var attempts = upstream.Received.ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.InRange(attempts[1].ArrivedAt - attempts[0].ArrivedAt, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task StreamFailingAfterItsFirstChunk_IsNotRetried()
    {
        var upstream = await UpstreamAsync();
        upstream.AbortStreamAfterFirstChunk = true;
        var spare = await UpstreamAsync();
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", upstream, "flaky")}
              - {Deployment("gpt-4o", spare, "spare")}
            router_settings:
              routing_strategy: least-busy
            """, seed: 1);
        using var http = Http(gateway);

        // The flaky upstream drops the connection only once the client holds its first chunk.
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        upstream.HoldStreamAfterFirstChunk = hold;
        for (var i = 0; i < 20 && upstream.Received.Count == 0; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var firstEvent = await reader.ReadLineAsync();
            if (upstream.Received.Count == 0)
            {
                continue; // the spare answered this one
            }

            Assert.Contains("word0", firstEvent, StringComparison.Ordinal);
            hold.TrySetResult();
            var rest = await reader.ReadToEndAsync();
            Assert.True(rest.Contains("data: {\"error\"", StringComparison.Ordinal), rest);
            Assert.DoesNotContain("word1", rest, StringComparison.Ordinal);
            Assert.Equal("flaky", Header(response, "x-litellm-model-id"));
            Assert.Equal(i, spare.Received.Count); // the failed stream did not move on to the spare
        }

        Assert.Single(upstream.Received);
    }

    [Fact]
    public async Task AllDeploymentsCoolingDown_Immediate429WithoutUpstreamCall()
    {
        var a = await UpstreamAsync();
        var b = await UpstreamAsync();
        a.FailWithStatus = b.FailWithStatus = 500;
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", a, "a")}
              - {Deployment("gpt-4o", b, "b")}
            router_settings:
              num_retries: 1
              allowed_fails: 0
              cooldown_time: 30
            """);
        using var http = Http(gateway);

        using (var first = await PostAsync(http, ChatBody))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        }

        Assert.Equal((1, 1), (a.Received.Count, b.Received.Count));
        using var response = await PostAsync(http, ChatBody);

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.StartsWith("No deployments available for selected model, Try again in 30 seconds. Passed model=gpt-4o.", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("429", error["code"]!.GetValue<string>());
        Assert.Equal("30", Header(response, "Retry-After"));
        Assert.Equal((1, 1), (a.Received.Count, b.Received.Count));
    }

    [Fact]
    public async Task LeastBusy_SendsEveryRequestToTheIdleDeployment()
    {
        var busy = await UpstreamAsync();
        busy.Hang = true;
        var idle = await UpstreamAsync();
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", busy, "busy")}
              - {Deployment("gpt-4o", idle, "idle")}
            router_settings:
              routing_strategy: least-busy
            """, seed: 3);
        using var http = Http(gateway);
        using var stop = new CancellationTokenSource();

        // Requests until one hangs in "busy" (ties go either way): from then on it has one in flight.
        Task<HttpResponseMessage>? hanging = null;
        for (var i = 0; i < 20 && hanging is null; i++)
        {
            var call = PostAsync(http, ChatBody, stop.Token);
            if (await Task.WhenAny(call, busy.RequestArrived) != call)
            {
                hanging = call;
            }
            else
            {
                (await call).Dispose();
            }
        }

        Assert.NotNull(hanging);
        var idleBefore = idle.Received.Count;
        for (var i = 0; i < 30; i++)
        {
            using var response = await PostAsync(http, ChatBody);
            Assert.Equal("idle", Header(response, "x-litellm-model-id"));
        }

        Assert.Single(busy.Received);
        Assert.Equal(idleBefore + 30, idle.Received.Count);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hanging!);
    }

    [Fact]
    public async Task LatencyBasedRouting_SendsMostTrafficToTheFasterDeployment()
    {
        var slow = await UpstreamAsync();
        // Far slower than anything a busy CI machine adds to the fast one's first (cold) call, which is also measured.
        slow.ResponseDelay = TimeSpan.FromMilliseconds(1000);
        var fast = await UpstreamAsync();
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", slow, "slow")}
              - {Deployment("gpt-4o", fast, "fast")}
            router_settings:
              routing_strategy: latency-based-routing
            """, seed: 11, realTime: true);
        using var http = Http(gateway);

        for (var i = 0; i < 40; i++)
        {
            using var response = await PostAsync(http, ChatBody);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Each is measured once; then only the exploration share (10 %, half of it to "slow") reaches the slow one.
        Assert.InRange(slow.Received.Count, 1, 6);
        Assert.Equal(40, slow.Received.Count + fast.Received.Count);
    }

    [Fact]
    public async Task Alerting_SuccessAfterRetryIsNoFailureAndAFinalFailureCountsOnceWithDeploymentDetails()
    {
        var good = await UpstreamAsync();
        var bad = await UpstreamAsync();
        bad.FailWithStatus = 500;
        var pagerDuty = await FakePagerDuty.StartAsync();
        _disposables.Add(pagerDuty);
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", good, "good")}
              - {Deployment("gpt-4o", bad, "bad")}
              - {Deployment("broken", bad, "broken")}
            router_settings:
              disable_cooldowns: true
            general_settings:
              master_key: sk-1234
              alerting: ["pagerduty"]
              alerting_args:
                failure_threshold: 1
                failure_threshold_window_seconds: 60
            """, seed: 5, realTime: true, environment: new Dictionary<string, string>
        {
            ["PAGERDUTY_API_KEY"] = "d8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4",
            ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
        });
        using var http = Http(gateway);

        for (var i = 0; i < 100 && bad.Received.Count < 2; i++)
        {
            using var response = await PostAsync(http, ChatBody);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var before = JsonNode.Parse(await http.GetStringAsync("/alerting/status"))!;
        Assert.Equal(0, FailureCount(before));
        Assert.Equal(2, before["deployments"]!.AsArray().Single(d => d!["deployment_id"]!.GetValue<string>() == "bad")!["failed_attempts"]!.GetValue<long>());

        // Three attempts (num_retries 2), one failed request.
        using (var failed = await PostAsync(http, """{"model":"broken","messages":[{"role":"user","content":"hi"}]}"""))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            Assert.Equal("2", Header(failed, "x-litellm-attempted-retries"));
        }

        var after = JsonNode.Parse(await http.GetStringAsync("/alerting/status"))!;
        Assert.Equal(1, FailureCount(after));
        await pagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(10));
        var details = pagerDuty.Events[0].Body.GetProperty("payload").GetProperty("custom_details");
        Assert.Equal(3, details.GetProperty("failed_attempts_by_deployment").GetProperty("broken").GetInt32());
        Assert.Equal(2, details.GetProperty("failed_attempts_by_deployment").GetProperty("bad").GetInt32());
        Assert.Equal(1, details.GetProperty("count").GetInt32());
    }

    private static int FailureCount(JsonNode status) =>
        status["windows"]!.AsArray().Single(w => w!["class"]!.GetValue<string>() == "llm_api_failure")!["count"]!.GetValue<int>();

    // One model_list entry on one line, so it can be interpolated at any indentation.
    private static string Deployment(string modelName, FakeUpstream upstream, string id) =>
        "{model_name: " + modelName + ", litellm_params: {model: \"openai/" + modelName + "\", api_base: \"" + upstream.ApiBase
        + "\", api_key: " + upstream.ApiKey + "}, model_info: {id: " + id + "}}";

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"no {name} header");

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string body, CancellationToken cancellationToken = default) =>
        http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);

    private static HttpClient Http(TestGateway gateway)
    {
        var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return http;
    }

    private async Task<FakeUpstream> UpstreamAsync()
    {
        var upstream = await FakeUpstream.StartAsync(time: _time);
        _disposables.Add(upstream);
        return upstream;
    }

    private async Task<TestGateway> GatewayAsync(string yaml, int seed = 1, bool realTime = false, Dictionary<string, string>? environment = null)
    {
        if (!yaml.Contains("general_settings", StringComparison.Ordinal))
        {
            yaml += "\ngeneral_settings:\n  master_key: " + MasterKey + "\n";
        }

        // Requests in these tests are sequential, so one seeded Random is never used by two threads at once.
        var gateway = await TestGateway.StartAsync(yaml, environment, services =>
        {
            services.Replace(ServiceDescriptor.Singleton(new Random(seed)));
            if (!realTime)
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
            }
        });
        _disposables.Add(gateway);
        return gateway;
    }
}
