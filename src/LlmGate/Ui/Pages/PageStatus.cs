using Microsoft.AspNetCore.Http;

namespace LlmGate.Ui.Pages;

/// <summary>
/// The short message a page shows after a POST redirected back to it (<c>?status=created</c>). Only known codes are
/// shown, so a crafted link cannot put words of its own on the page.
/// </summary>
internal static class PageStatus
{
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["silence-created"] = "Silence created.",
        ["silence-expired"] = "Silence expired.",
        ["silence-unknown"] = "No such silence: it may have been pruned.",
        ["key-blocked"] = "Key blocked.",
        ["key-unblocked"] = "Key unblocked.",
        ["key-deleted"] = "Key deleted.",
        ["key-unknown"] = "No such key: it may have been deleted.",
        ["keys-off"] = "Virtual keys are off.",
        ["alerting-off"] = "Alerting is off.",
    };

    public static string? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Query.TryGetValue("status", out var code) && code.Count == 1 && code[0] is { } text
            ? Messages.GetValueOrDefault(text)
            : null;
    }

    /// <summary>Post/Redirect/Get: back to <paramref name="page"/> with <paramref name="code"/>.</summary>
    public static IResult Redirect(string page, string code) => new SeeOther($"{page}?status={Uri.EscapeDataString(code)}");

    /// <summary>303 See Other: the browser follows with a GET, so a reload never repeats the POST.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
