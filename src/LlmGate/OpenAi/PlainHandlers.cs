using Microsoft.AspNetCore.Http;

namespace LlmGate.OpenAi;

/// <summary>
/// Every route is mapped as a plain <see cref="RequestDelegate"/>. A route given any other delegate (a route value or a
/// service as a parameter, an <see cref="IResult"/> returned) goes through ASP.NET's RequestDelegateFactory, which
/// compiles an expression tree for each such route, all of them at the first request: about 70 methods JIT-compiled fully
/// optimised, even in the ReadyToRun binary, some 100 ms between the port opening and the first answer. The binding those
/// routes need is a line each, done here by hand; <c>PlainHandlersTests</c> keeps every route this way.
/// </summary>
internal static class PlainHandlers
{
    /// <summary>A handler that returns a result, written as RequestDelegateFactory would write it.</summary>
    public static RequestDelegate Writing(Func<HttpContext, IResult> handler) => context => handler(context).ExecuteAsync(context);

    /// <inheritdoc cref="Writing(Func{HttpContext, IResult})"/>
    public static RequestDelegate Writing(Func<HttpContext, Task<IResult>> handler) =>
        async context => await (await handler(context)).ExecuteAsync(context);

    /// <summary>A route parameter of the matched pattern (routing has decoded it, all but <c>%2F</c>).</summary>
    public static string RouteValue(this HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    /// <summary>A query parameter as a <c>string?</c> parameter binds it: null when absent, repeated values comma-joined.</summary>
    public static string? QueryValue(this HttpContext context, string name) => context.Request.Query[name];
}
