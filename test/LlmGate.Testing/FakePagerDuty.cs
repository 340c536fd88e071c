using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Testing;

/// <summary>
/// A PagerDuty Events API v2 on 127.0.0.1 (a random port) that validates events as strictly as PagerDuty does,
/// answers 202 or 400 in PagerDuty's words, keeps incidents per dedup key, and can be scripted to answer a
/// sequence of statuses (with Retry-After) first.
/// </summary>
public sealed class FakePagerDuty : IAsyncDisposable
{
    public const int MaxBodyBytes = 512 * 1024;
    private static readonly string[] Actions = ["trigger", "acknowledge", "resolve"];
    private static readonly string[] Severities = ["critical", "error", "warning", "info"];

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<FakePagerDutyEvent> _events = [];
    private readonly List<FakePagerDutyRequest> _requests = [];
    private readonly Queue<(int Status, TimeSpan? RetryAfter)> _script = new();
    private readonly Dictionary<string, FakePagerDutyIncident> _incidents = new(StringComparer.Ordinal);
    private readonly ChangeSignal _changes;

    private FakePagerDuty(WebApplication app)
    {
        _changes = new ChangeSignal(_lock, "fake PagerDuty");
        _app = app;
        EventsUrl = null!;
    }

    public Uri EventsUrl { get; private set; }

    public IReadOnlyList<FakePagerDutyEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<FakePagerDutyRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakePagerDuty> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = 4 * MaxBodyBytes; // so an over-size event gets PagerDuty's 400, not Kestrel's 413
        });
        var app = builder.Build();
        var fake = new FakePagerDuty(app);
        app.MapPost("/v2/enqueue", fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.EventsUrl = new Uri(new Uri(address), "/v2/enqueue");
        return fake;
    }

    /// <summary>The next requests are answered with these statuses, in order, before validation; then normal service resumes.</summary>
    public void ScriptResponses(params int[] statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
        {
            ScriptResponse(status);
        }
    }

    public void ScriptResponse(int status, TimeSpan? retryAfter = null)
    {
        lock (_lock)
        {
            _script.Enqueue((status, retryAfter));
        }
    }

    public FakePagerDutyIncident? Incident(string dedupKey)
    {
        lock (_lock)
        {
            return _incidents.GetValueOrDefault(dedupKey);
        }
    }

    public Task WaitForEventsAsync(int count, TimeSpan timeout) =>
        _changes.WaitForAsync(() => _events.Count >= count, timeout, $"{count} accepted event(s)", State);

    /// <summary>Until <paramref name="count"/> accepted events match <paramref name="match"/>.</summary>
    public Task WaitForEventsAsync(Func<FakePagerDutyEvent, bool> match, int count, TimeSpan timeout) =>
        _changes.WaitForAsync(() => _events.Count(match) >= count, timeout, $"{count} matching accepted event(s)", State);

    public Task WaitForRequestsAsync(int count, TimeSpan timeout) =>
        _changes.WaitForAsync(() => _requests.Count >= count, timeout, $"{count} request(s)", State);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>PagerDuty's validation of an event; empty when the event is valid.</summary>
    public static List<string> Validate(byte[] body)
    {
        var errors = new List<string>();
        if (body.Length > MaxBodyBytes)
        {
            errors.Add("Event object is too large (over 512 KB).");
            return errors;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            errors.Add("Request body is not valid JSON.");
            return errors;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add("Event must be a JSON object.");
                return errors;
            }

            var routingKey = StringOf(root, "routing_key");
            if (routingKey is null || routingKey.Length != 32)
            {
                errors.Add("'routing_key' is missing or not a 32-character integration key.");
            }

            var action = StringOf(root, "event_action");
            if (action is null || !Actions.Contains(action))
            {
                errors.Add("'event_action' must be one of trigger, acknowledge, resolve.");
            }

            var dedupKey = StringOf(root, "dedup_key");
            if (root.TryGetProperty("dedup_key", out var dedupElement) && (dedupElement.ValueKind != JsonValueKind.String || dedupKey!.Length > 255))
            {
                errors.Add("'dedup_key' must be a string of at most 255 characters.");
            }

            if (action is "acknowledge" or "resolve" && string.IsNullOrEmpty(dedupKey))
            {
                errors.Add("'dedup_key' is required for acknowledge and resolve.");
            }

            if (action == "trigger")
            {
                ValidatePayload(root, errors);
            }

            ValidateHrefs(root, "links", "href", errors);
            ValidateHrefs(root, "images", "src", errors);
        }

        return errors;
    }

    private static void ValidatePayload(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            errors.Add("'payload' is required for trigger.");
            return;
        }

        var summary = StringOf(payload, "summary");
        if (string.IsNullOrEmpty(summary) || summary.Length > 1024)
        {
            errors.Add("'payload.summary' is required and at most 1024 characters.");
        }

        if (string.IsNullOrEmpty(StringOf(payload, "source")))
        {
            errors.Add("'payload.source' is required.");
        }

        var severity = StringOf(payload, "severity");
        if (severity is null || !Severities.Contains(severity))
        {
            errors.Add("'payload.severity' must be one of critical, error, warning, info.");
        }

        if (StringOf(payload, "timestamp") is { } timestamp && !DateTimeOffset.TryParse(timestamp, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            errors.Add("'payload.timestamp' is not ISO-8601.");
        }

        if (payload.TryGetProperty("custom_details", out var details) && details.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            errors.Add("'payload.custom_details' must be an object.");
        }
    }

    private static void ValidateHrefs(JsonElement root, string name, string field, List<string> errors)
    {
        if (!root.TryGetProperty(name, out var list))
        {
            return;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"'{name}' must be an array.");
            return;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || string.IsNullOrEmpty(StringOf(item, field)))
            {
                errors.Add($"'{name}[].{field}' must not be empty.");
            }
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var rawBody = Encoding.UTF8.GetString(body);

        (int Status, TimeSpan? RetryAfter)? scripted = null;
        lock (_lock)
        {
            if (_script.Count > 0)
            {
                scripted = _script.Dequeue();
            }
        }

        if (scripted is { } answer)
        {
            if (answer.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await AnswerAsync(context, answer.Status, answer.Status == 400
                ? """{"status":"invalid event","message":"Event object is invalid","errors":["scripted rejection"]}"""
                : """{"status":"unavailable","message":"scripted failure"}""", rawBody);
            return;
        }

        var errors = Validate(body);
        if (errors.Count > 0)
        {
            var rejection = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["status"] = "invalid event",
                ["message"] = "Event object is invalid",
                ["errors"] = errors,
            });
            await AnswerAsync(context, 400, rejection, rawBody);
            return;
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var routingKey = StringOf(root, "routing_key")!;
        var action = StringOf(root, "event_action")!;
        var dedupKey = StringOf(root, "dedup_key");
        lock (_lock)
        {
            dedupKey ??= Guid.NewGuid().ToString("N"); // like PagerDuty: a trigger without a key opens a new alert
            ApplyToIncidents(routingKey, action, dedupKey);
            _events.Add(new FakePagerDutyEvent(routingKey, action, dedupKey, rawBody));
        }

        var accepted = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["status"] = "success",
            ["message"] = "Event processed",
            ["dedup_key"] = dedupKey,
        });
        await AnswerAsync(context, 202, accepted, rawBody);
    }

    private void ApplyToIncidents(string routingKey, string action, string dedupKey)
    {
        var existing = _incidents.GetValueOrDefault(dedupKey);
        switch (action)
        {
            case "trigger" when existing is { State: FakeIncidentState.Open }:
                _incidents[dedupKey] = existing with { Triggers = existing.Triggers + 1 };
                break;
            case "trigger":
                _incidents[dedupKey] = new FakePagerDutyIncident(dedupKey, routingKey, FakeIncidentState.Open, 1, (existing?.Opened ?? 0) + 1);
                break;
            case "resolve" when existing is { State: FakeIncidentState.Open } && existing.RoutingKey == routingKey:
                _incidents[dedupKey] = existing with { State = FakeIncidentState.Resolved };
                break;
            default:
                break; // acknowledge, or a resolve for no open alert or with another routing key: dropped, still 202
        }
    }

    private async Task AnswerAsync(HttpContext context, int status, string json, string rawBody)
    {
        lock (_lock)
        {
            _requests.Add(new FakePagerDutyRequest(rawBody, status));
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
        lock (_lock)
        {
            _changes.Signal();
        }
    }

    // What it has so far, for a wait's timeout message; called under the lock.
    private string State() => $"it has {_requests.Count} request(s), {_events.Count} accepted";
}
