using LlmGate.OpenAi;
using LlmGate.Ui.Live;
using LlmGate.Ui.Pages;
using LlmGate.Ui.Sessions;
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
    public static IEndpointRouteBuilder MapUiShell(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapUiLogin();
        endpoints.MapUiAssets();
        endpoints.MapUiLive();
        endpoints.MapUiShellPages();
        return endpoints;
    }

    /// <summary><c>/ui/incidents</c>, <c>/ui/silences</c>, <c>/ui/keys</c>, <c>/ui/config</c>.</summary>
    public static IEndpointRouteBuilder MapUiPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(IncidentsEndpoint.Path, PlainHandlers.Writing(IncidentsEndpoint.Get)).RequireUiSession();

        endpoints.MapGet(SilencesEndpoint.Path, PlainHandlers.Writing(SilencesEndpoint.Get)).RequireUiSession();
        endpoints.MapPost(SilencesEndpoint.Path, PlainHandlers.Writing(SilencesEndpoint.PostAsync)).RequireUiSession();
        endpoints.MapPost(SilencesEndpoint.Path + "/{id}/expire", PlainHandlers.Writing(SilencesEndpoint.ExpireAsync)).RequireUiSession();

        endpoints.MapGet(KeysEndpoint.Path, PlainHandlers.Writing(KeysEndpoint.GetAsync)).RequireUiSession();
        endpoints.MapPost(KeysEndpoint.Path, PlainHandlers.Writing(KeysEndpoint.CreateAsync)).RequireUiSession();
        endpoints.MapPost(KeysEndpoint.Path + "/{action}", PlainHandlers.Writing(KeysEndpoint.ActAsync)).RequireUiSession();

        endpoints.MapGet(ConfigEndpoint.Path, PlainHandlers.Writing(ConfigEndpoint.Get)).RequireUiSession();
        return endpoints;
    }
}
