using System.Text.Json;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Proxy;
using LlmGate.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Messages;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c> (Claude Code asks it before compacting a conversation). For a model group with
/// an Anthropic deployment the question goes to Anthropic's own endpoint and its answer comes back unchanged; for any
/// other, the answer is an estimate, a token per four bytes of the text, tool schemas included, and says so in the
/// <c>x-llmgate-token-count</c> header. Not an LLM call: not retried, not counted for alerting or spend.
/// </summary>
internal static class CountTokensEndpoint
{
    public const string EstimateHeader = "x-llmgate-token-count";

    public static IEndpointRouteBuilder MapCountTokens(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1/messages/count_tokens", CountAsync);
        endpoints.MapPost("/anthropic/v1/messages/count_tokens", CountAsync);
        return endpoints;
    }

    private static async Task CountAsync(HttpContext context)
    {
        var snapshot = context.RequestServices.GetRequiredService<GatewaySnapshotSource>().Current;
        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (BadHttpRequestException exception)
        {
            var (message, type) = ProxyHandler.DescribeBodyRefusal(context, exception); // over the body limit, or too slow
            await OpenAiError.WriteAsync(context, exception.StatusCode, message, type);
            return;
        }

        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (JsonUnicode.Problem(body.Span) is { } problem)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, problem, "invalid_request_error");
            return;
        }

        string? model;
        try
        {
            using var document = JsonDocument.Parse(body);
            model = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("model", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, "The request body is not valid JSON.", "invalid_request_error");
            return;
        }

        var admission = context.RequestServices.GetService<ICallAdmission>();
        if (string.IsNullOrEmpty(model) || !snapshot.Routes.TryResolve(model, out var match) || (admission is not null && !admission.MayCall(context, match.Group.Name)))
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, $"Invalid model name passed in model={model}. Call `/v1/models` to view available models for your key.", "invalid_request_error", "model");
            return;
        }

        if (match.Group.Deployments.FirstOrDefault(d => d.Endpoint.Adapter is AnthropicAdapter && d.UnusableReason is null) is { } anthropic)
        {
            await AskAnthropicAsync(context, anthropic, body, model, match.WildcardCapture);
            return;
        }

        context.Response.Headers[EstimateHeader] = "estimate";
        await context.Response.WriteAsJsonAsync(new TokenCount(Estimate(body.Span)), MessagesJsonContext.Default.TokenCount, contentType: null, context.RequestAborted);
    }

    private static async Task AskAnthropicAsync(HttpContext context, Deployment deployment, ReadOnlyMemory<byte> body, string model, string? wildcardCapture)
    {
        var summary = RequestBodyInspector.Inspect(body.Span, "messages");
        var rewritten = RequestBodyRewriter.Rewrite(body, summary, deployment.UpstreamModel(model, wildcardCapture)).ToArray();
        var uri = new Uri(AnthropicAdapter.MessagesUri(deployment.Endpoint.ApiBase!).ToString().TrimEnd('/') + "/count_tokens");
        using var request = ProviderRequests.PostJson(uri, rewritten);
        AnthropicAdapter.AddHeaders(request, deployment.Endpoint, context.Request.Headers["anthropic-version"].FirstOrDefault(), context.Request.Headers["anthropic-beta"].OfType<string>());
        await SideRequest.ForwardAsync(context, request, TimeSpan.FromSeconds(30), "Anthropic to count tokens");
    }

    // Every string under system, messages and tools, in UTF-8 bytes, a token per four: the usual rule of thumb for
    // English text and code, close enough for a client deciding when to compact.
    private static int Estimate(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        long bytes = 0;
        var depth0Property = "";
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                depth0Property = reader.GetString() ?? "";
            }
            else if (reader.TokenType == JsonTokenType.String && depth0Property is "system" or "messages" or "tools")
            {
                bytes += reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            }
        }

        return (int)Math.Max(1, (bytes + 3) / 4);
    }
}
