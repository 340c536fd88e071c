using System.Net.Http.Headers;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Secrets;

namespace LlmGate.Alerting.PagerDuty;

/// <summary>
/// The typed HttpClient for the Events API v2: one POST per event with its own timeout, answered as a
/// <see cref="PagerDutyAnswer"/> whatever happens (no exception escapes except shutdown).
/// </summary>
internal sealed class PagerDutyClient
{
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private const int MaxAnswerLength = 4096;
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly Uri _eventsUrl;
    private readonly TimeProvider _time;

    public PagerDutyClient(HttpClient http, PagerDutyOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _eventsUrl = options.EventsUrl;
        _time = time;
    }

    public async Task<PagerDutyAnswer> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(SendTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        try
        {
            using var response = await _http.PostAsync(_eventsUrl, content, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            return new PagerDutyAnswer((int)response.StatusCode, SecretScrubber.Truncate(text, MaxAnswerLength), RetryAfterHeader.Of(response, _time.GetUtcNow()), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PagerDutyAnswer(null, string.Empty, null, $"no answer within {SendTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException exception)
        {
            // The message names the host and the socket error, never the body, so it carries no routing key.
            return new PagerDutyAnswer(null, string.Empty, null, exception.Message);
        }
    }
}
