using System.Globalization;
using LlmGate.OpenAi;
using LlmGate.Ui.Components;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Ui.Sessions;

/// <summary><c>GET/POST /ui/login</c> and <c>POST /ui/logout</c>: credentials for a session cookie, and back.</summary>
internal static class UiLoginEndpoints
{
    private const string WrongCredentials = "Wrong master key or username and password.";

    public static IEndpointRouteBuilder MapUiLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ui/login", PlainHandlers.Writing(context =>
            LoginPage(context, context.RequestServices.GetRequiredService<UiCredentials>(), null, LocalReturnUrl(context.QueryValue("returnUrl")))));
        endpoints.MapPost("/ui/login", PlainHandlers.Writing(SignInAsync)).DisableAntiforgery();
        endpoints.MapPost("/ui/logout", PlainHandlers.Writing(SignOutAsync)).DisableAntiforgery();
        return endpoints;
    }

    /// <summary><paramref name="returnUrl"/> when it is a console path on this gateway, else null (no open redirect).</summary>
    public static string? LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url
        && (url == "/ui" || url.StartsWith("/ui/", StringComparison.Ordinal) || url.StartsWith("/ui?", StringComparison.Ordinal))
        && !url.Contains("..", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
        && !url.StartsWith("/ui/login", StringComparison.Ordinal)
        && url.All(c => c > ' ' && c < 0x7f)
            ? url
            : null;

    private static async Task<IResult> SignInAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var (credentials, sessions, throttle, loggers) = (services.GetRequiredService<UiCredentials>(), services.GetRequiredService<UiSessions>(),
            services.GetRequiredService<LoginThrottle>(), services.GetRequiredService<ILoggerFactory>());
        if (!await UiForms.IsValidAsync(context))
        {
            return Results.BadRequest();
        }

        var logger = loggers.CreateLogger("LlmGate.Ui");
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalReturnUrl(form["returnUrl"]);
        if (throttle.RetryAfter(client) is { } wait)
        {
            UiLog.SignInThrottled(logger, client, wait);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return WithStatus(LoginPage(context, credentials, "Too many failed sign-ins from this address; try again later.", returnUrl), StatusCodes.Status429TooManyRequests);
        }

        if (!credentials.CanSignIn)
        {
            UiLog.SignInUnavailable(logger, client);
            return WithStatus(LoginPage(context, credentials, null, returnUrl), StatusCodes.Status403Forbidden);
        }

        if (credentials.Check(form["key"], form["username"], form["password"]) is not { } who)
        {
            throttle.Failed(client);
            UiLog.SignInRefused(logger, client);
            return WithStatus(LoginPage(context, credentials, WrongCredentials, returnUrl), StatusCodes.Status401Unauthorized);
        }

        throttle.Succeeded(client);
        var (value, ticket) = sessions.Issue(who);
        context.Response.Cookies.Append(UiSessions.CookieName, value, CookieOptions(context, ticket.ExpiresAt));
        UiLog.SignedIn(logger, who, client);
        return SeeOther(context, returnUrl ?? UiEndpoints.Prefix);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        var sessions = context.RequestServices.GetRequiredService<UiSessions>();
        var loggers = context.RequestServices.GetRequiredService<ILoggerFactory>();
        if (!await UiForms.IsValidAsync(context))
        {
            return Results.BadRequest();
        }

        if (sessions.Validate(context.Request.Cookies[UiSessions.CookieName]) is { } ticket)
        {
            sessions.Revoke(ticket);
            UiLog.SignedOut(loggers.CreateLogger("LlmGate.Ui"), ticket.Who, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        }

        context.Response.Cookies.Delete(UiSessions.CookieName, CookieOptions(context, null));
        return SeeOther(context, "/ui/login");
    }

    private static CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = UiEndpoints.Prefix,
        Expires = expires,
        IsEssential = true,
    };

    private static IResult SeeOther(HttpContext context, string location)
    {
        context.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IResult LoginPage(HttpContext context, UiCredentials credentials, string? error, string? returnUrl)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var model = new UiLoginModel(tokens.FormFieldName, tokens.RequestToken ?? "", credentials.HasMasterKey, credentials.HasUserPassword, error, returnUrl);
        return UiPages.Render<UiLogin>(context, new Dictionary<string, object?> { [nameof(UiLogin.Model)] = model });
    }

    private static IResult WithStatus(IResult page, int status)
    {
        ((RazorComponentResult)page).StatusCode = status;
        return page;
    }
}
