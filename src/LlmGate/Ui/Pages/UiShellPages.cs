using LlmGate.OpenAi;
using LlmGate.Ui.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmGate.Ui.Pages;

/// <summary><c>/ui</c> (Overview) and <c>/ui/deployments</c>: rendered from the current snapshot, so the first paint is complete.</summary>
internal static class UiShellPages
{
    public static IEndpointRouteBuilder MapUiShellPages(this IEndpointRouteBuilder endpoints)
    {
        var snapshots = endpoints.ServiceProvider.GetRequiredService<UiSnapshots>();
        endpoints.MapGet("/ui", PlainHandlers.Writing(context =>
            UiPages.Render<Overview>(context, new Dictionary<string, object?>
            {
                [nameof(Overview.Page)] = UiPages.Context(context, "overview", "Overview"),
                [nameof(Overview.Snapshot)] = snapshots.Current.Snapshot,
            }))).RequireUiSession();
        endpoints.MapGet("/ui/deployments", PlainHandlers.Writing(context =>
            UiPages.Render<Deployments>(context, new Dictionary<string, object?>
            {
                [nameof(Deployments.Page)] = UiPages.Context(context, "deployments", "Deployments"),
                [nameof(Deployments.Snapshot)] = snapshots.Current.Snapshot,
            }))).RequireUiSession();
        return endpoints;
    }
}
