using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Reload;

/// <summary>
/// <c>POST /config/reload</c> (200 with what changed, or 400 with every error while the old config keeps serving) and
/// <c>GET /config/status</c>. Master key only: a virtual key's holder must not swap the gateway's config.
/// </summary>
internal static class ReloadEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateReload(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/config/reload", PlainHandlers.Writing(context =>
        {
            if (RefuseNonAdmin(context) is { } refusal)
            {
                return refusal;
            }

            var result = context.RequestServices.GetRequiredService<ConfigReloader>().Reload("api");
            if (result.Outcome != ReloadOutcome.Refused)
            {
                return Results.Json(result, ReloadJsonContext.Default.ReloadResult);
            }

            var message = $"Config reload refused ({result.Errors.Count} error(s)); the gateway keeps serving the config in use. First: {result.Errors[0]}";
            return Results.Json(
                new ReloadRefusal(new ReloadRefusalError(message, "invalid_request_error", null, "400"), result),
                ReloadJsonContext.Default.ReloadRefusal,
                statusCode: StatusCodes.Status400BadRequest);
        }));

        endpoints.MapGet("/config/status", PlainHandlers.Writing(context =>
        {
            if (RefuseNonAdmin(context) is { } refusal)
            {
                return refusal;
            }

            var reloader = context.RequestServices.GetRequiredService<ConfigReloader>();
            var status = new ConfigStatus(reloader.Path, reloader.LoadedAt, context.RequestServices.GetService<ConfigFileWatcher>() is not null, reloader.Last);
            return Results.Json(status, ReloadJsonContext.Default.ConfigStatus);
        }));
        return endpoints;
    }

    private static IResult? RefuseNonAdmin(HttpContext context) =>
        context.Features.Get<CallerIdentity>() is { Kind: not (CallerKind.MasterKey or CallerKind.Anonymous) }
            ? Results.Text(
                OpenAiError.Serialize(StatusCodes.Status403Forbidden, "Reloading the config needs the master key.", "auth_error", null),
                "application/json",
                StatusCodes.Status403Forbidden)
            : null;
}
