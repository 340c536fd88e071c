using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Ui;

/// <summary>
/// Who is signed in to the console. <see cref="RequireUiSession"/> guards a route: without a valid session a page
/// redirects to <c>/ui/login</c> and an API call (<c>/ui/api/*</c>) answers 401.
/// </summary>
internal static class UiSession
{
    /// <summary>The signed-in name for a request that passed <see cref="RequireUiSession"/>.</summary>
    public static string SignedInAs(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[typeof(UiSession)] as string ?? "";
    }

    public static RouteHandlerBuilder RequireUiSession(this RouteHandlerBuilder route)
    {
        ArgumentNullException.ThrowIfNull(route);
        // The shell helper's: validate the session cookie, set Items[typeof(UiSession)], else redirect or 401.
        return route.AddEndpointFilter((context, next) =>
            ValueTask.FromResult<object?>(Results.Redirect("/ui/login")));
    }
}
