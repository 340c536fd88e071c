using LlmGate.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmGate.Keys;

/// <summary>
/// LiteLLM's management API for virtual keys, teams, users and spend, and <c>/model/info</c>. The master key may call
/// every route; a virtual key only <c>GET /key/info</c> (its own) and <c>/model/info</c>.
/// </summary>
internal static class KeyManagementEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateKeyManagement(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        const ManagementAccess admin = ManagementAccess.Admin;

        Post(endpoints, "/key/generate", admin, KeyHandlers.GenerateAsync);
        Get(endpoints, "/key/info", ManagementAccess.AdminOrOwnKey, KeyHandlers.InfoAsync);
        Post(endpoints, "/key/update", admin, KeyHandlers.UpdateAsync);
        Post(endpoints, "/key/delete", admin, KeyHandlers.DeleteAsync);
        Get(endpoints, "/key/list", admin, KeyHandlers.ListAsync);
        Post(endpoints, "/key/block", admin, KeyHandlers.BlockAsync);
        Post(endpoints, "/key/unblock", admin, KeyHandlers.UnblockAsync);
        Post(endpoints, "/key/regenerate", admin, call => KeyHandlers.RegenerateAsync(call, keyInPath: null));
        endpoints.MapPost("/key/{key}/regenerate", RegenerateInPathAsync);

        Post(endpoints, "/team/new", admin, TeamHandlers.NewAsync);
        Get(endpoints, "/team/info", admin, TeamHandlers.InfoAsync);
        Post(endpoints, "/team/update", admin, TeamHandlers.UpdateAsync);
        Post(endpoints, "/team/delete", admin, TeamHandlers.DeleteAsync);
        Post(endpoints, "/team/block", admin, TeamHandlers.BlockAsync);
        Post(endpoints, "/team/unblock", admin, TeamHandlers.UnblockAsync);
        Get(endpoints, "/team/list", admin, TeamHandlers.ListAsync);

        Post(endpoints, "/user/new", admin, UserHandlers.NewAsync);
        Get(endpoints, "/user/info", admin, UserHandlers.InfoAsync);

        Get(endpoints, "/spend/logs", admin, SpendLogHandlers.LogsAsync);

        Get(endpoints, "/model/info", ManagementAccess.AnyCaller, ModelInfoHandlers.InfoAsync);
        Get(endpoints, "/v1/model/info", ManagementAccess.AnyCaller, ModelInfoHandlers.InfoAsync);
        return endpoints;
    }

    private static Task RegenerateInPathAsync(HttpContext context) =>
        ManagementCall.RunAsync(context, "/key/{key}/regenerate", ManagementAccess.Admin, call => KeyHandlers.RegenerateAsync(call, context.RouteValue("key")));

    private static void Get(IEndpointRouteBuilder endpoints, string route, ManagementAccess access, Func<ManagementCall, Task<IResult>> handler) =>
        endpoints.MapGet(route, context => ManagementCall.RunAsync(context, route, access, handler));

    private static void Post(IEndpointRouteBuilder endpoints, string route, ManagementAccess access, Func<ManagementCall, Task<IResult>> handler) =>
        endpoints.MapPost(route, context => ManagementCall.RunAsync(context, route, access, handler));
}
