using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting.Silences;

/// <summary>The silences API of the real gateway, in process on 127.0.0.1, on the real clock.</summary>
public sealed class SilenceApiTests : IAsyncLifetime
{
    private const string MasterKey = "sk-master-silences-5150";
    private const string RoutingKey = "R0UT1NGKEY0123456789abcdef012345";
    private FakePagerDuty _pagerDuty = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _pagerDuty = await FakePagerDuty.StartAsync();
        _gateway = await TestGateway.StartAsync(Yaml(alerting: true), Environment(_pagerDuty));
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _pagerDuty.DisposeAsync();
    }

    [Fact]
    public async Task Post_ValidSilence_ListedAndShownInAlertmanagerShape()
    {
        var id = await CreateAsync("""[{"name":"class","value":"llm_api_failure","isRegex":false,"isEqual":true},{"name":"model_group","value":"gpt-4.*","isRegex":true}]""");

        using var list = JsonDocument.Parse(await _http.GetStringAsync("/alerting/silences"));
        using var one = JsonDocument.Parse(await _http.GetStringAsync($"/api/v2/silence/{id}"));

        var listed = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        foreach (var silence in new[] { listed, one.RootElement })
        {
            Assert.Equal("active", silence.GetProperty("status").GetProperty("state").GetString());
            Assert.Equal("ops", silence.GetProperty("createdBy").GetString());
            Assert.Equal("maintenance", silence.GetProperty("comment").GetString());
            Assert.True(silence.TryGetProperty("updatedAt", out _));
            Assert.True(silence.GetProperty("endsAt").GetDateTimeOffset() > silence.GetProperty("startsAt").GetDateTimeOffset());
            var matchers = silence.GetProperty("matchers").EnumerateArray().ToList();
            Assert.Equal(2, matchers.Count);
            Assert.True(matchers[1].GetProperty("isRegex").GetBoolean());
            Assert.True(matchers[1].GetProperty("isEqual").GetBoolean()); // Alertmanager's default when left out
        }
    }

    [Fact]
    public async Task Delete_ActiveSilence_ExpiredAndKept()
    {
        var id = await CreateAsync();

        using var deleted = await _http.DeleteAsync($"/alerting/silences/{id}");
        using var shown = JsonDocument.Parse(await _http.GetStringAsync($"/alerting/silences/{id}"));
        using var status = JsonDocument.Parse(await _http.GetStringAsync("/alerting/status"));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("expired", shown.RootElement.GetProperty("status").GetProperty("state").GetString());
        var inStatus = Assert.Single(status.RootElement.GetProperty("silences").EnumerateArray());
        Assert.Equal(id, inStatus.GetProperty("id").GetString());
        Assert.Equal("expired", inStatus.GetProperty("state").GetString());
        Assert.Equal("class=llm_api_failure", Assert.Single(inStatus.GetProperty("matchers").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Post_WithIdOfActiveSilence_UpdatesIt()
    {
        var id = await CreateAsync();

        using var response = await PostAsync("/api/v2/silences", Body(id: id, comment: "longer maintenance"));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using var list = JsonDocument.Parse(await _http.GetStringAsync("/api/v2/silences"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, answer.RootElement.GetProperty("silenceID").GetString());
        Assert.Equal("longer maintenance", Assert.Single(list.RootElement.EnumerateArray()).GetProperty("comment").GetString());
    }

    [Fact]
    public async Task UnknownId_GetDeleteAndUpdate_404()
    {
        const string unknown = "0b9f3c7e-0000-4000-8000-000000000000";

        using var get = await _http.GetAsync($"/alerting/silences/{unknown}");
        using var delete = await _http.DeleteAsync($"/api/v2/silence/{unknown}");
        using var update = await PostAsync("/alerting/silences", Body(id: unknown));

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { get.StatusCode, delete.StatusCode, update.StatusCode });
        Assert.Contains(unknown, await ErrorMessageAsync(update), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { Body(matchers: "[]"), "at least one matcher" },
        { Body(matchers: null), "at least one matcher" },
        { Body(matchers: """[{"name":"team","value":"platform"}]"""), "unknown label name 'team'; matchers may use alert_type, class, scope, model_group" },
        { Body(matchers: """[{"name":"class","value":"(llm","isRegex":true}]"""), "invalid regex" },
        { Body(matchers: """[{"name":"class","value":".*","isRegex":true},{"name":"region","value":""}]"""), "every matcher matches the empty string" },
        { Body(matchers: """[{"name":"class","value":"llm_api_failure","isEqual":false}]"""), "every matcher matches the empty string" },
        { Body(startsIn: TimeSpan.FromHours(2), endsIn: TimeSpan.FromHours(1)), "endsAt must be after startsAt" },
        { Body(startsIn: TimeSpan.FromHours(-2), endsIn: TimeSpan.FromHours(-1)), "endsAt must be in the future" },
        { Body(endsIn: TimeSpan.MinValue), "endsAt is required" },
        { Body(createdBy: " "), "createdBy is required" },
        { Body(comment: ""), "comment is required" },
        { "{\"matchers\": ", "not a silence" },
        { "[1, 2]", "not a silence" },
        { """{"matchers":"class=x"}""", "not a silence at $.matchers" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Post_Invalid_400SayingWhatIsWrong(string body, string expected)
    {
        using var response = await PostAsync("/alerting/silences", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await ErrorMessageAsync(response), StringComparison.Ordinal);
        Assert.Empty(JsonDocument.Parse(await _http.GetStringAsync("/alerting/silences")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Post_BodyTooLarge_413()
    {
        using var response = await PostAsync("/alerting/silences", Body(comment: new string('x', 70_000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("64 KiB", await ErrorMessageAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ChunkedInSmallPieces_ReadWhole()
    {
        using var response = await PostChunkedAsync(Body(comment: new string('y', 4_000)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = JsonDocument.Parse(await _http.GetStringAsync("/alerting/silences")).RootElement.EnumerateArray().Single();
        Assert.Equal(new string('y', 4_000), listed.GetProperty("comment").GetString());
    }

    [Fact]
    public async Task Post_ChunkedBodyTooLarge_413WithoutItsLengthDeclared()
    {
        using var response = await PostChunkedAsync(Body(comment: new string('x', 70_000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("64 KiB", await ErrorMessageAsync(response), StringComparison.Ordinal);
        Assert.Empty(JsonDocument.Parse(await _http.GetStringAsync("/alerting/silences")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Requests_WithoutMasterKey_401()
    {
        using var anonymous = new HttpClient { BaseAddress = _gateway.BaseAddress };

        using var list = await anonymous.GetAsync("/api/v2/silences");
        using var post = await anonymous.PostAsync("/alerting/silences", new StringContent(Body(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Empty(JsonDocument.Parse(await _http.GetStringAsync("/alerting/silences")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Post_AlertingOff_400()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml(alerting: false));
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);

        using var response = await http.PostAsync("/alerting/silences", new StringContent(Body(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Alerting is not configured", await ErrorMessageAsync(response), StringComparison.Ordinal);
    }

    internal static string Yaml(bool alerting) => $"""
        model_list:
          - model_name: gpt-4o
            litellm_params: {"{"}model: openai/gpt-4o, mock_response: hi{"}"}
        general_settings:
          master_key: {MasterKey}
          {(alerting ? "alerting: [\"pagerduty\"]" : "")}
        """;

    internal static Dictionary<string, string> Environment(FakePagerDuty pagerDuty) => new()
    {
        ["PAGERDUTY_API_KEY"] = RoutingKey,
        ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
    };

    private static string Body(
        string? matchers = """[{"name":"class","value":"llm_api_failure","isRegex":false,"isEqual":true}]""",
        TimeSpan? startsIn = null,
        TimeSpan? endsIn = null, // TimeSpan.MinValue: no endsAt
        string createdBy = "ops",
        string comment = "maintenance",
        string? id = null)
    {
        var now = TimeProvider.System.GetUtcNow();
        var fields = new List<string>();
        if (id is not null)
        {
            fields.Add($"\"id\":\"{id}\"");
        }

        if (matchers is not null)
        {
            fields.Add($"\"matchers\":{matchers}");
        }

        fields.Add($"\"startsAt\":\"{now + (startsIn ?? TimeSpan.Zero):O}\"");
        if (endsIn != TimeSpan.MinValue)
        {
            fields.Add($"\"endsAt\":\"{now + (endsIn ?? TimeSpan.FromHours(2)):O}\"");
        }

        fields.Add($"\"createdBy\":{JsonSerializer.Serialize(createdBy)}");
        fields.Add($"\"comment\":{JsonSerializer.Serialize(comment)}");
        return "{" + string.Join(",", fields) + "}";
    }

    private async Task<string> CreateAsync(string? matchers = null)
    {
        using var response = await PostAsync("/alerting/silences", matchers is null ? Body() : Body(matchers: matchers));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var id = json.RootElement.GetProperty("silenceID").GetString()!;
        Assert.True(Guid.TryParse(id, out _), id);
        return id;
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    // A stream that cannot seek has no length to declare: the body goes chunked, in 1,000-byte reads.
    private Task<HttpResponseMessage> PostChunkedAsync(string body)
    {
        var content = new StreamContent(new PiecewiseStream(Encoding.UTF8.GetBytes(body), 1000));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return _http.PostAsync("/alerting/silences", content);
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").GetProperty("message").GetString()!;
    }
}
