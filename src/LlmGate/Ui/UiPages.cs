using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Ui;

/// <summary>Renders a console page: the layout's context for this request, and the page component with its parameters.</summary>
internal static class UiPages
{
    public static UiPageContext Context(HttpContext context, string activePage, string title)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return new UiPageContext(activePage, title, tokens.FormFieldName, tokens.RequestToken ?? "", UiSession.SignedInAs(context));
    }

    /// <summary>A page component of type <typeparamref name="TPage"/>; pages are never cached (they may show a new key once).</summary>
    public static RazorComponentResult<TPage> Render<TPage>(HttpContext context, IReadOnlyDictionary<string, object?> parameters)
        where TPage : IComponent
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
        return new RazorComponentResult<TPage>(parameters);
    }
}
