using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Ui;

/// <summary>The console's forms: every POST handler checks the anti-forgery token first (there is no middleware for it on the request path).</summary>
internal static class UiForms
{
    /// <summary>False when the form's token is missing or does not match the cookie: the handler answers 400 and does nothing.</summary>
    public static Task<bool> IsValidAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
    }
}
