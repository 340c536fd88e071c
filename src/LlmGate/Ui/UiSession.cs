using LlmGate.OpenAi;
using LlmGate.Ui.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Wraps the route's handler (a plain <see cref="RequestDelegate"/>, see <see cref="PlainHandlers"/>).</summary>
    public static TBuilder RequireUiSession<TBuilder>(this TBuilder route)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(route);
        route.Add(endpoint =>
        {
            var page = endpoint.RequestDelegate ?? throw new InvalidOperationException($"{endpoint.DisplayName} has no handler to guard.");
            endpoint.RequestDelegate = context =>
            {
                var sessions = context.RequestServices.GetRequiredService<UiSessions>();
                if (sessions.Validate(context.Request.Cookies[UiSessions.CookieName]) is { } ticket)
                {
                    context.Items[typeof(UiSession)] = ticket.Who;
                    return page(context);
                }

                context.Response.Headers.CacheControl = "no-store";
                if (context.Request.Path.StartsWithSegments("/ui/api", StringComparison.Ordinal))
                {
                    return Results.Text("""{"error":"not signed in to the console"}""", "application/json", statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
                }

                var back = context.Request.Path.Value + context.Request.QueryString.Value;
                return Results.Redirect("/ui/login?returnUrl=" + Uri.EscapeDataString(back)).ExecuteAsync(context);
            };
        });
        return route;
    }
}
