using System.Text;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Proxy;

/// <summary>
/// <c>GET</c> and <c>DELETE /v1/responses/{id}</c>, <c>POST .../{id}/cancel</c> and <c>GET .../{id}/input_items</c>: the
/// id names the deployment that stores the response (<see cref="ResponseIds"/>), and the request goes to it as the client
/// sent it (query included), the answer coming back with the gateway's id. A response made through the chat bridge was
/// never stored anywhere: its id gets a 404 that says so. Not LLM calls: not retried, not counted for alerting or spend.
/// </summary>
internal static class ResponsesByIdEndpoints
{
    public static IEndpointRouteBuilder MapResponsesById(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(prefix + "/responses/{id}", context => ForwardAsync(context, HttpMethod.Get, ""));
        endpoints.MapDelete(prefix + "/responses/{id}", context => ForwardAsync(context, HttpMethod.Delete, ""));
        endpoints.MapPost(prefix + "/responses/{id}/cancel", context => ForwardAsync(context, HttpMethod.Post, "/cancel"));
        endpoints.MapGet(prefix + "/responses/{id}/input_items", context => ForwardAsync(context, HttpMethod.Get, "/input_items"));
        return endpoints;
    }

    private static async Task ForwardAsync(HttpContext context, HttpMethod method, string suffix)
    {
        var id = context.RouteValue("id");
        var snapshot = context.RequestServices.GetRequiredService<GatewaySnapshotSource>().Current;
        if (!ResponseIds.TryDecode(id, out var deploymentId, out var upstreamId)
            || snapshot.Routes.Groups.SelectMany(g => g.Deployments.Select(d => (Group: g, Deployment: d))).FirstOrDefault(x => x.Deployment.Id == deploymentId) is not { Deployment: { } deployment } found)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status404NotFound,
                $"No stored response with id '{Cut(id)}': responses are stored by OpenAI and Azure deployments only (not by those the gateway bridges onto chat completions), and this id names none of this gateway's deployments.",
                "invalid_request_error", "response_id");
            return;
        }

        if (context.RequestServices.GetService<ICallAdmission>() is { } admission && !admission.MayCall(context, found.Group.Name))
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status403Forbidden, $"This key may not use model group '{found.Group.Name}', which stores this response.", "permission_error");
            return;
        }

        if (!ResponsesApi.IsNative(deployment.Endpoint) || deployment.UnusableReason is not null)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status404NotFound, $"Deployment '{deploymentId}' does not store responses.", "invalid_request_error", "response_id");
            return;
        }

        using var request = new HttpRequestMessage(method, UriFor(deployment.Endpoint, upstreamId, suffix, context.Request.QueryString));
        if (deployment.Endpoint.Adapter is AzureOpenAiAdapter)
        {
            AzureOpenAiAdapter.Authorize(request, deployment.Endpoint);
        }
        else if (deployment.Endpoint.AuthorizationHeader is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        // The stored response (and a cancelled one) comes back with the gateway's id, so that it can be fetched again.
        Func<byte[], byte[]>? withGatewayId = suffix is "" or "/cancel" ? answer => WithGatewayId(answer, deployment.Endpoint.ProviderName, deploymentId) : null;
        await SideRequest.ForwardAsync(context, request, deployment.Config.Timeout ?? snapshot.Config.RequestTimeout, "the deployment that stores this response", withGatewayId);
    }

    private static Uri UriFor(ProviderEndpoint endpoint, string upstreamId, string suffix, QueryString query)
    {
        var create = endpoint.Adapter is AzureOpenAiAdapter
            ? AzureOpenAiAdapter.EndpointUri(endpoint.ApiBase!, "", ProxyEndpointKind.Responses, endpoint.ApiVersion ?? AzureOpenAiAdapter.DefaultApiVersion)
            : endpoint.EndpointUri(ProxyEndpointKind.Responses)!;
        var builder = new UriBuilder(create);
        builder.Path = builder.Path.TrimEnd('/') + "/" + Uri.EscapeDataString(upstreamId) + suffix;
        var extra = query.HasValue ? query.Value!.TrimStart('?') : "";
        builder.Query = string.Join('&', new[] { builder.Query.TrimStart('?'), extra }.Where(q => q.Length > 0));
        return builder.Uri;
    }

    private static byte[] WithGatewayId(byte[] answer, string provider, string deploymentId)
    {
        try
        {
            if (JsonNode.Parse(answer) is JsonObject response && (string?)response["id"] is { } upstreamId)
            {
                response["id"] = ResponseIds.Encode(provider, deploymentId, upstreamId);
                return Encoding.UTF8.GetBytes(response.ToJsonString());
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return answer;
    }

    private static string Cut(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
