using System.Net.Http.Headers;
using System.Text;
using LlmGate.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// POSTs one JSON message to a webhook (Slack, Discord, Teams, the generic webhook) with its own timeout on the
/// <see cref="TimeProvider"/>, and answers whatever happens as a <see cref="WebhookAnswer"/>: only shutdown throws.
/// </summary>
internal sealed class WebhookClient(HttpClient http, TimeProvider time)
{
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private const int MaxAnswerLength = 2048;
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public Task<WebhookAnswer> PostAsync(Uri url, string json, CancellationToken cancellationToken) =>
        PostAsync(url, Encoding.UTF8.GetBytes(json), null, cancellationToken);

    /// <summary>Each send has its own timeout on the TimeProvider, so the named client has none; no HttpClient logging: it would write the URL, which is the webhook's token.</summary>
    public static void AddHttpClient(IServiceCollection services, string name) =>
        services.AddHttpClient(name, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // a redirect would carry the message somewhere the operator did not name
                UseCookies = false,
                ConnectTimeout = SendTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5), // the channel keeps its client; this follows DNS changes
            });

    /// <summary>A client over the named <see cref="HttpClient"/> registered with <see cref="AddHttpClient"/>.</summary>
    public static WebhookClient Create(IServiceProvider services, string name) =>
        new(services.GetRequiredService<IHttpClientFactory>().CreateClient(name), services.GetRequiredService<TimeProvider>());

    /// <param name="body">Sent as these exact bytes (a signature over them stays valid).</param>
    /// <param name="headers">Extra request headers, e.g. a signature.</param>
    public async Task<WebhookAnswer> PostAsync(Uri url, byte[] body, IEnumerable<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var timeout = new CancellationTokenSource(SendTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await http.SendAsync(request, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            return new WebhookAnswer((int)response.StatusCode, SecretScrubber.Truncate(text, MaxAnswerLength), RetryAfterHeader.Of(response, time.GetUtcNow()), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAnswer(null, string.Empty, null, $"no answer within {SendTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException exception)
        {
            // Its message names the host and the socket error, never the path, where the webhook's token is.
            return new WebhookAnswer(null, string.Empty, null, exception.Message);
        }
    }
}
