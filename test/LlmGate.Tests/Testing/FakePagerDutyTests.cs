using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake PagerDuty answers a body that is not an event object with PagerDuty's 400, records no event, never a 500.</summary>
public sealed class FakePagerDutyTests : IAsyncLifetime
{
    private FakePagerDuty _pagerDuty = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _pagerDuty = await FakePagerDuty.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _pagerDuty.DisposeAsync();
    }

    [Theory]
    [InlineData("", "Request body is not valid JSON.")]
    [InlineData("{\"routing_key\": ", "Request body is not valid JSON.")]
    [InlineData("not json at all", "Request body is not valid JSON.")]
    [InlineData("[{\"event_action\": \"trigger\"}]", "Event must be a JSON object.")]
    [InlineData("{\"routing_key\": 7, \"event_action\": [\"trigger\"], \"dedup_key\": {}}", "'routing_key' is missing or not a 32-character integration key.")]
    public async Task Post_NotAnEvent_Is400InvalidEvent(string json, string firstError)
    {
        using var response = await _http.PostAsync(_pagerDuty.EventsUrl, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid event", body["status"]!.GetValue<string>());
        Assert.Equal("Event object is invalid", body["message"]!.GetValue<string>());
        Assert.Equal(firstError, body["errors"]![0]!.GetValue<string>());
        Assert.Empty(_pagerDuty.Events);
        Assert.Equal(400, Assert.Single(_pagerDuty.Requests).StatusCode);
    }
}
