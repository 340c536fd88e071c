using System.Text;
using LlmGate.OpenAi;
using LlmGate.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.OpenAi;

public sealed class PlainHandlersTests
{
    private const string Config = """
        model_list:
          - model_name: m
            litellm_params: {model: openai/m, api_base: "http://127.0.0.1:9/v1", api_key: x}
        litellm_settings:
          callbacks: ["prometheus"]
        general_settings:
          master_key: sk-master
          alerting: ["pagerduty"]
        """;

    // A route given a route-handler delegate runs a delegate that RequestDelegateFactory compiled (declared outside the
    // gateway's assembly); a plain one runs the gateway's own code. The compiled kind costs start-up time (PlainHandlers).
    [Fact]
    public async Task EveryRoute_IsAPlainRequestDelegate()
    {
        await using var gateway = await TestGateway.StartAsync(Config, environment: new Dictionary<string, string> { ["PAGERDUTY_API_KEY"] = "routing-key" });

        var endpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();

        Assert.True(endpoints.Length > 80, $"only {endpoints.Length} routes found");
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/v1/chat/completions");
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/ui/api/events");
        var compiled = endpoints
            .Where(e => e.RequestDelegate?.Method.DeclaringType?.Assembly != typeof(PlainHandlers).Assembly)
            .Select(e => e.DisplayName)
            .ToArray();
        Assert.True(compiled.Length == 0, "routes built by RequestDelegateFactory: " + string.Join(", ", compiled));
    }

    [Fact]
    public async Task Writing_ExecutesTheResultTheHandlerReturns()
    {
        var context = NewContext();

        await PlainHandlers.Writing(_ => Results.Text("made", "text/plain", statusCode: StatusCodes.Status202Accepted))(context);

        Assert.Equal(StatusCodes.Status202Accepted, context.Response.StatusCode);
        Assert.Equal("made", Body(context));
    }

    [Fact]
    public async Task Writing_AwaitsAnAsyncHandlerBeforeWritingItsResult()
    {
        var context = NewContext();
        var gate = new TaskCompletionSource<IResult>(TaskCreationOptions.RunContinuationsAsynchronously);

        var written = PlainHandlers.Writing(_ => gate.Task)(context);
        Assert.False(written.IsCompleted);
        gate.SetResult(Results.StatusCode(StatusCodes.Status409Conflict));
        await written;

        Assert.Equal(StatusCodes.Status409Conflict, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("?channel=pagerduty", "pagerduty")]
    [InlineData("?channel=", "")]
    [InlineData("?channel=a&channel=b", "a,b")]
    [InlineData("?other=x", null)]
    public void QueryValue_BindsAsAStringParameterWould(string query, string? expected)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);

        Assert.Equal(expected, context.QueryValue("channel"));
    }

    [Fact]
    public void RouteValue_ReadsTheMatchedParameter()
    {
        var context = new DefaultHttpContext();
        context.Request.RouteValues["id"] = "resp_1";

        Assert.Equal("resp_1", context.RouteValue("id"));
        Assert.Equal("", context.RouteValue("missing"));
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
