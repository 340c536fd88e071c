using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.Silences;

/// <summary>
/// The silences API in Alertmanager v2's shape, under <c>/alerting/silences</c> and under Alertmanager's own paths
/// (<c>/api/v2/silences</c>, <c>/api/v2/silence/{id}</c>) so that <c>amtool --alertmanager.url</c> works against the
/// gateway. The master key only (a virtual key is refused): a silence can hold back every page.
/// </summary>
internal static class SilenceEndpoints
{
    /// <summary>A silence is a few hundred bytes; this leaves room for 32 long regexes and a long comment.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapSilences(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var (list, one) in new[] { ("/alerting/silences", "/alerting/silences/{id}"), ("/api/v2/silences", "/api/v2/silence/{id}") })
        {
            endpoints.MapGet(list, ListAsync);
            endpoints.MapPost(list, PostAsync);
            endpoints.MapGet(one, GetAsync);
            endpoints.MapDelete(one, DeleteAsync);
        }

        return endpoints;
    }

    private static async Task ListAsync(HttpContext context)
    {
        if (await EditorAsync(context) is not { } editor)
        {
            return;
        }

        var now = editor.Now;
        List<SilenceDocument> shown = [.. editor.Store.Current.Select(s => SilenceDocument.Shown(s, now))];
        await context.Response.WriteAsJsonAsync(shown, SilenceJsonContext.Default.ListSilenceDocument, contentType: null, context.RequestAborted);
    }

    private static async Task GetAsync(HttpContext context)
    {
        var id = context.RouteValue("id");
        if (await EditorAsync(context) is not { } editor)
        {
            return;
        }

        if (editor.Store.Find(id) is not { } silence)
        {
            await NotFoundAsync(context, id);
            return;
        }

        await context.Response.WriteAsJsonAsync(SilenceDocument.Shown(silence, editor.Now), SilenceJsonContext.Default.SilenceDocument, contentType: null, context.RequestAborted);
    }

    private static async Task DeleteAsync(HttpContext context)
    {
        var id = context.RouteValue("id");
        if (await EditorAsync(context) is not { } editor)
        {
            return;
        }

        if (editor.Expire(id) is null)
        {
            await NotFoundAsync(context, id);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK; // as Alertmanager: no body
    }

    private static async Task PostAsync(HttpContext context)
    {
        if (await EditorAsync(context) is not { } editor)
        {
            return;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await TooLargeAsync(context);
            return;
        }

        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                await TooLargeAsync(context);
                return;
            }

            body.Write(buffer, 0, read);
        }

        SilenceDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length), SilenceJsonContext.Default.SilenceDocument);
        }
        catch (JsonException exception)
        {
            var where = exception.Path is { Length: > 1 } path ? $" at {path}" : "";
            await BadRequestAsync(context, $"The body is not a silence{where}: send {{\"matchers\":[{{\"name\",\"value\",\"isRegex\",\"isEqual\"}}],\"startsAt\",\"endsAt\",\"createdBy\",\"comment\"}}.");
            return;
        }

        if (document is null)
        {
            await BadRequestAsync(context, "The body is not a silence: send a JSON object.");
            return;
        }

        if (editor.Post(document, out var notFound, out var error) is not { } silence)
        {
            if (notFound)
            {
                await NotFoundAsync(context, document.Id!);
            }
            else
            {
                await BadRequestAsync(context, $"Invalid silence: {error}.");
            }

            return;
        }

        await context.Response.WriteAsJsonAsync(new SilenceIdDocument(silence.Id), SilenceJsonContext.Default.SilenceIdDocument, contentType: null, context.RequestAborted);
    }

    // The editor when the caller may use silences and alerting is on; else the error is written and null returned.
    private static async Task<SilenceEditor?> EditorAsync(HttpContext context)
    {
        if (context.Features.Get<CallerIdentity>() is { Kind: not (CallerKind.MasterKey or CallerKind.Anonymous) })
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status403Forbidden, "Silences need the master key.", "auth_error");
            return null;
        }

        if (context.RequestServices.GetService<SilenceEditor>() is not { } editor)
        {
            await BadRequestAsync(context, "Alerting is not configured: set general_settings.alerting (e.g. [\"pagerduty\"]) to use silences.");
            return null;
        }

        return editor;
    }

    private static Task BadRequestAsync(HttpContext context, string message) =>
        OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, message, "invalid_request_error");

    private static Task NotFoundAsync(HttpContext context, string id) =>
        OpenAiError.WriteAsync(context, StatusCodes.Status404NotFound, $"Silence {Truncate(id)} not found.", "not_found_error");

    private static Task TooLargeAsync(HttpContext context) =>
        OpenAiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes / 1024} KiB; a silence is far smaller.", "invalid_request_error");

    // An id is echoed, but never at any length.
    private static string Truncate(string id) => id.Length <= 64 ? id : id[..64] + "…";
}
