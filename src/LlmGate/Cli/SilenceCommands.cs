using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGate.Alerting.Silences;

namespace LlmGate.Cli;

/// <summary>
/// <c>llmgate alert silence</c>, <c>alert silences</c> and <c>alert expire</c>: the silences API of a running gateway,
/// with the master key from the environment (never printed), amtool's matcher notation and durations.
/// </summary>
internal static class SilenceCommands
{
    public const string DefaultUrl = "http://127.0.0.1:4000";
    public const string DefaultMasterKeyVariable = "LITELLM_MASTER_KEY";

    public static void AddTo(Command alert)
    {
        ArgumentNullException.ThrowIfNull(alert);

        var match = new Option<string[]>("--match", "-m")
        {
            Description = "Matchers, amtool-style: name=value, name!=value, name=~regex, name!~regex; comma-separated or repeated. Labels: "
                + string.Join(", ", Alerting.AlertLabels.Names) + ".",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var duration = new Option<string>("--for") { Description = "How long it lasts: 90s, 30m, 2h, 1h30m, 1d.", Required = true };
        var comment = new Option<string>("--comment") { Description = "Why (shown in the status and the list).", Required = true };
        var createdBy = new Option<string?>("--created-by") { Description = "Who; defaults to $USER." };
        var startsAt = new Option<string?>("--starts-at") { Description = "When it starts (ISO 8601, e.g. 2026-03-01T22:00:00Z); defaults to now." };
        var (url, keyVariable) = (UrlOption(), KeyOption());
        var silence = new Command("silence", "Add a silence to a running gateway and print its id.") { match, duration, comment, createdBy, startsAt, url, keyVariable };
        silence.SetAction((result, cancellationToken) => AddAsync(
            result.GetRequiredValue(match), result.GetRequiredValue(duration), result.GetRequiredValue(comment), result.GetValue(createdBy), result.GetValue(startsAt),
            new Target(result.GetRequiredValue(url), result.GetRequiredValue(keyVariable)), result.InvocationConfiguration, cancellationToken));

        var (listUrl, listKey) = (UrlOption(), KeyOption());
        var silences = new Command("silences", "List a running gateway's silences.") { listUrl, listKey };
        silences.SetAction((result, cancellationToken) => ListAsync(
            new Target(result.GetRequiredValue(listUrl), result.GetRequiredValue(listKey)), result.InvocationConfiguration, cancellationToken));

        var id = new Argument<string>("id") { Description = "The silence's id, as 'alert silence' printed it." };
        var (expireUrl, expireKey) = (UrlOption(), KeyOption());
        var expire = new Command("expire", "End a silence now (it stays listed, expired, for 120 hours).") { id, expireUrl, expireKey };
        expire.SetAction((result, cancellationToken) => ExpireAsync(
            result.GetRequiredValue(id), new Target(result.GetRequiredValue(expireUrl), result.GetRequiredValue(expireKey)), result.InvocationConfiguration, cancellationToken));

        alert.Subcommands.Add(silence);
        alert.Subcommands.Add(silences);
        alert.Subcommands.Add(expire);
    }

    private static Option<string> UrlOption() => new("--url") { Description = "The gateway.", DefaultValueFactory = _ => DefaultUrl };

    private static Option<string> KeyOption() => new("--master-key-env")
    {
        Description = "The environment variable holding the master key.",
        DefaultValueFactory = _ => DefaultMasterKeyVariable,
    };

    private static async Task<int> AddAsync(
        string[] match, string duration, string comment, string? createdBy, string? startsAt, Target target, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        SilenceDocument document;
        try
        {
            var matchers = MatcherNotation.Parse(match);
            var starts = startsAt is null
                ? TimeProvider.System.GetUtcNow()
                : DateTimeOffset.Parse(startsAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            document = new SilenceDocument
            {
                Matchers = [.. matchers.Select(SilenceMatcherDocument.From)],
                StartsAt = starts,
                EndsAt = starts + SilenceDuration.Parse(duration),
                CreatedBy = createdBy ?? Environment.GetEnvironmentVariable("USER") ?? Environment.UserName,
                Comment = comment,
            };
        }
        catch (FormatException exception)
        {
            await console.Error.WriteLineAsync(exception.Message);
            return 2;
        }

        var json = JsonSerializer.Serialize(document, SilenceJsonContext.Default.SilenceDocument);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await CallAsync(target, HttpMethod.Post, "alerting/silences", content, console, async body =>
        {
            var created = JsonSerializer.Deserialize(body, SilenceJsonContext.Default.SilenceIdDocument);
            await console.Output.WriteLineAsync(created?.SilenceId);
        }, cancellationToken);
    }

    private static Task<int> ListAsync(Target target, InvocationConfiguration console, CancellationToken cancellationToken) =>
        CallAsync(target, HttpMethod.Get, "alerting/silences", null, console, async body =>
        {
            var silences = JsonSerializer.Deserialize(body, SilenceJsonContext.Default.ListSilenceDocument) ?? [];
            await console.Output.WriteAsync(Table(silences));
        }, cancellationToken);

    private static Task<int> ExpireAsync(string id, Target target, InvocationConfiguration console, CancellationToken cancellationToken) =>
        CallAsync(target, HttpMethod.Delete, "alerting/silences/" + Uri.EscapeDataString(id), null, console,
            _ => console.Output.WriteLineAsync($"Silence {id} expired."), cancellationToken);

    /// <summary>One row per silence: id, state, matchers, end, creator, comment.</summary>
    public static string Table(IReadOnlyList<SilenceDocument> silences)
    {
        ArgumentNullException.ThrowIfNull(silences);
        string[] header = ["ID", "STATE", "MATCHERS", "ENDS", "CREATED BY", "COMMENT"];
        var rows = silences.Select(s => new[]
        {
            s.Id ?? "",
            s.Status?.State ?? "",
            string.Join(",", (s.Matchers ?? []).Select(m => SilenceMatcher.Notation(m.Name ?? "", m.Value ?? "", m.IsRegex, m.IsEqual))),
            s.EndsAt?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "",
            s.CreatedBy ?? "",
            (s.Comment ?? "").ReplaceLineEndings(" "),
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var table = new StringBuilder();
        foreach (var row in rows)
        {
            table.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }

        return table.ToString();
    }

    private static async Task<int> CallAsync(
        Target target, HttpMethod method, string path, HttpContent? content, InvocationConfiguration console, Func<string, Task> onSuccess, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(target.Url.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            await console.Error.WriteLineAsync($"--url {target.Url} is not an http(s) URL.");
            return 2;
        }

        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (Environment.GetEnvironmentVariable(target.KeyVariable) is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await onSuccess(body);
                return 0;
            }

            var hint = (int)response.StatusCode == 401 ? $" (is {target.KeyVariable} set to the gateway's master key?)" : "";
            await console.Error.WriteLineAsync($"The gateway answered {(int)response.StatusCode}: {ErrorMessage(body)}{hint}");
            return 1;
        }
        catch (HttpRequestException exception)
        {
            await console.Error.WriteLineAsync($"Could not reach the gateway at {baseUrl}: {exception.Message}");
            return 1;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync($"The gateway at {baseUrl} did not answer within 30 seconds.");
            return 1;
        }
        catch (JsonException)
        {
            await console.Error.WriteLineAsync($"The answer from {baseUrl} is not what LlmGate sends; is --url a LlmGate gateway?");
            return 1;
        }
    }

    // The OpenAI-style error's message; the raw body (cut short) when it is something else.
    private static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 200 ? body[..200] + "…" : body;
    }

    private sealed record Target(string Url, string KeyVariable);
}
