using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmGate.Ui;

/// <summary>
/// The console's routes, all under <c>/ui</c>. The master-key middleware leaves <c>/ui</c> to the console, which
/// signs people in itself: a page without a session redirects to <c>/ui/login</c>, an API call answers 401.
/// </summary>
internal static class UiEndpoints
{
    public const string Prefix = "/ui";

    public static IEndpointRouteBuilder MapLlmGateUi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapUiShell();
        endpoints.MapUiPages();
        return endpoints;
    }

    /// <summary><c>/ui/login</c>, <c>/ui/logout</c>, <c>/ui/assets/*</c>, <c>/ui/api/events</c>, <c>/ui</c> (Overview), <c>/ui/deployments</c>.</summary>
    public static IEndpointRouteBuilder MapUiShell(this IEndpointRouteBuilder endpoints) => endpoints; // the shell helper's

    // Typed as a route handler, so the IResult the handler returns is written (a RequestDelegate would drop it).
    private static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    /// <summary><c>/ui/incidents</c>, <c>/ui/silences</c>, <c>/ui/keys</c>, <c>/ui/config</c>.</summary>
    public static IEndpointRouteBuilder MapUiPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Pages.IncidentsEndpoint.Path, Pages.IncidentsEndpoint.Get).RequireUiSession();

        endpoints.MapGet(Pages.SilencesEndpoint.Path, Pages.SilencesEndpoint.Get).RequireUiSession();
        endpoints.MapPost(Pages.SilencesEndpoint.Path, Handler(Pages.SilencesEndpoint.PostAsync)).RequireUiSession();
        endpoints.MapPost(Pages.SilencesEndpoint.Path + "/{id}/expire", Pages.SilencesEndpoint.ExpireAsync).RequireUiSession();

        endpoints.MapGet(Pages.KeysEndpoint.Path, Handler(Pages.KeysEndpoint.GetAsync)).RequireUiSession();
        endpoints.MapPost(Pages.KeysEndpoint.Path, Handler(Pages.KeysEndpoint.CreateAsync)).RequireUiSession();
        endpoints.MapPost(Pages.KeysEndpoint.Path + "/{action}", Pages.KeysEndpoint.ActAsync).RequireUiSession();

        endpoints.MapGet(Pages.ConfigEndpoint.Path, Pages.ConfigEndpoint.Get).RequireUiSession();
        return endpoints;
    }
}
