using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace LlmGate.Bench.Runner;

/// <summary>
/// Operations-console viewers for <c>llmgate-viewed</c>: each signs in through <c>/ui/login</c> with the master key
/// (its own cookies, the form's anti-forgery token) and keeps <c>/ui/api/events</c> open, reading every event, for as
/// long as the target runs, as a browser left open on a wall screen would.
/// </summary>
internal sealed partial class ConsoleViewers : IAsyncDisposable
{
    private static readonly TimeSpan SignInTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<HttpClient> _clients = [];
    private readonly List<Task> _streams = [];
    private long _events;
    private string? _failure;

    private ConsoleViewers()
    {
    }

    /// <summary>Events received by every viewer so far.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Why a viewer's stream ended before the target stopped; null while all are streaming.</summary>
    public string? Failure => Volatile.Read(ref _failure);

    public static async Task<ConsoleViewers> StartAsync(int port, int count, string masterKey, CancellationToken cancellationToken)
    {
        var viewers = new ConsoleViewers();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var client = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
                {
                    BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"),
                    Timeout = Timeout.InfiniteTimeSpan, // the stream stays open; sign-in is bounded below
                };
                viewers._clients.Add(client);
                await SignInAsync(client, masterKey, cancellationToken);
                var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                viewers._streams.Add(viewers.StreamAsync(client, opened));
                await opened.Task.WaitAsync(SignInTimeout, cancellationToken);
            }
        }
        catch
        {
            await viewers.DisposeAsync();
            throw;
        }

        return viewers;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_streams.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private static async Task SignInAsync(HttpClient client, string masterKey, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SignInTimeout);
        var form = await client.GetStringAsync(new Uri("ui/login", UriKind.Relative), timeout.Token);
        var fields = new Dictionary<string, string> { ["key"] = masterKey };
        if (CsrfToken(form) is { } token)
        {
            fields["__csrf"] = token;
        }

        using var content = new FormUrlEncodedContent(fields);
        using var signIn = await client.PostAsync(new Uri("ui/login", UriKind.Relative), content, timeout.Token);
        using var state = await client.GetAsync(new Uri("ui/api/state", UriKind.Relative), timeout.Token);
        if (state.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(
                $"llmgate-viewed: signing in through /ui/login answered {(int)signIn.StatusCode}, then /ui/api/state {(int)state.StatusCode}");
        }
    }

    private static string? CsrfToken(string html)
    {
        foreach (Match input in InputTag().Matches(html))
        {
            if (input.Value.Contains("name=\"__csrf\"", StringComparison.Ordinal) && ValueAttribute().Match(input.Value) is { Success: true } value)
            {
                return WebUtility.HtmlDecode(value.Groups[1].Value);
            }
        }

        return null;
    }

    private async Task StreamAsync(HttpClient client, TaskCompletionSource opened)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "ui/api/events");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"/ui/api/events answered {(int)response.StatusCode}");
            }

            opened.TrySetResult();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _events);
                }
            }

            Volatile.Write(ref _failure, "the gateway closed /ui/api/events");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped with the target.
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
        {
            Volatile.Write(ref _failure, e.Message);
            opened.TrySetException(e);
        }
    }

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
