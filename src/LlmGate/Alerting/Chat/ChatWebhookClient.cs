using System.Net.Http.Headers;
using System.Text;
using LlmGate.Alerting.Delivery;
using LlmGate.Secrets;

namespace LlmGate.Alerting.Chat;

/// <summary>
/// POSTs one JSON message to an incoming webhook (Slack, Discord, Teams) with its own timeout on the
/// <see cref="TimeProvider"/>, and answers whatever happens as a <see cref="ChatWebhookAnswer"/>: only shutdown throws.
/// </summary>
internal sealed class ChatWebhookClient(HttpClient http, TimeProvider time)
{
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private const int MaxAnswerLength = 2048;
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public async Task<ChatWebhookAnswer> PostAsync(Uri url, string json, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(SendTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = Json;
        try
        {
            using var response = await http.PostAsync(url, content, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            return new ChatWebhookAnswer((int)response.StatusCode, SecretScrubber.Truncate(text, MaxAnswerLength), RetryAfterHeader.Of(response, time.GetUtcNow()), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChatWebhookAnswer(null, string.Empty, null, $"no answer within {SendTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException exception)
        {
            // Its message names the host and the socket error, never the path, where the webhook's token is.
            return new ChatWebhookAnswer(null, string.Empty, null, exception.Message);
        }
    }
}
