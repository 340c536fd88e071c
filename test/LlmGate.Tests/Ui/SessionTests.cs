using System.Net;
using LlmGate.Testing;
using LlmGate.Ui.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmGate.Tests.Ui;

public sealed class SessionTests
{
    private const string MasterKey = "sk-console-master-5f1e";

    private static string Yaml(string? masterKey = MasterKey) => $$"""
        model_list:
          - model_name: gpt-4o
            litellm_params: {model: openai/gpt-4o, api_key: sk-unused}
        {{(masterKey is null ? "" : $"general_settings:\n  master_key: {masterKey}")}}
        """;

    [Fact]
    public async Task Login_MasterKey_SessionCookieWithFlagsAndPagesOpen()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml());
        using var client = new UiTestClient(gateway);

        using var login = await client.SignInAsync(MasterKey);

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/ui", login.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(UiSessions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/ui", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase); // plain http here
        var cookie = client.Cookies.GetCookies(new Uri(gateway.BaseAddress, "ui"))[UiSessions.CookieName]!;
        Assert.InRange(cookie.Expires.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8.1));
        Assert.DoesNotContain(MasterKey, cookie.Value, StringComparison.Ordinal);

        using var overview = await client.Http.GetAsync(new Uri("ui", UriKind.Relative));
        using var state = await client.Http.GetAsync(new Uri("ui/api/state", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        Assert.Contains("data-deployment=\"", await overview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_UiCredentials_SignedInAsUsername()
    {
        var environment = new Dictionary<string, string> { ["UI_USERNAME"] = "oncall", ["UI_PASSWORD"] = "correct horse" };
        await using var gateway = await TestGateway.StartAsync(Yaml(), environment);
        using var client = new UiTestClient(gateway);
        var page = await client.Http.GetStringAsync(new Uri("ui/login", UriKind.Relative));

        using var wrong = await client.PostFormAsync("ui/login", new Dictionary<string, string> { ["username"] = "oncall", ["password"] = "wrong" });
        using var right = await client.PostFormAsync("ui/login", new Dictionary<string, string> { ["username"] = "oncall", ["password"] = "correct horse", ["returnUrl"] = "/ui/deployments" });
        var deployments = await client.Http.GetStringAsync(new Uri("ui/deployments", UriKind.Relative));

        Assert.Contains("id=\"username\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"key\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
        Assert.Equal("/ui/deployments", right.Headers.Location?.OriginalString);
        Assert.Contains(">oncall<", deployments, StringComparison.Ordinal);
        Assert.Contains("tr data-deployment=\"", deployments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ForeignReturnUrl_GoesToOverview()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml());
        using var client = new UiTestClient(gateway);

        using var login = await client.PostFormAsync("ui/login", new Dictionary<string, string> { ["key"] = MasterKey, ["returnUrl"] = "//evil.example/ui" });

        Assert.Equal("/ui", login.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Login_WrongKey_401ThenRateLimitedAfterFive()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml());
        using var client = new UiTestClient(gateway);

        var statuses = new List<HttpStatusCode>();
        string? alert = null;
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.SignInAsync("sk-wrong-" + i);
            statuses.Add(response.StatusCode);
            alert ??= await response.Content.ReadAsStringAsync();
            if (i == 5)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }

        using var rightButLimited = await client.SignInAsync(MasterKey);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], statuses);
        Assert.Contains("role=\"alert\"", alert, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightButLimited.StatusCode);
    }

    [Fact]
    public void LoginThrottle_WindowPasses_AllowedAgain()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            throttle.Failed("10.0.0.1");
            time.Advance(TimeSpan.FromSeconds(10));
        }

        var limited = throttle.RetryAfter("10.0.0.1");
        var other = throttle.RetryAfter("10.0.0.2");
        time.Advance(LoginThrottle.Window - TimeSpan.FromSeconds(50)); // the first failure leaves the window
        var after = throttle.RetryAfter("10.0.0.1");

        Assert.Equal(LoginThrottle.Window - TimeSpan.FromSeconds(50), limited);
        Assert.Null(other);
        Assert.Null(after);
    }

    [Fact]
    public async Task Pages_NoSession_RedirectToLoginAndApi401()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml());
        using var client = new UiTestClient(gateway);

        using var page = await client.Http.GetAsync(new Uri("ui/deployments", UriKind.Relative));
        using var state = await client.Http.GetAsync(new Uri("ui/api/state", UriKind.Relative));
        using var events = await client.Http.GetAsync(new Uri("ui/api/events", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/ui/login?returnUrl=%2Fui%2Fdeployments", page.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, state.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
    }

    [Fact]
    public async Task Logout_OldCookieReplayed_Refused()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml());
        using var client = new UiTestClient(gateway);
        using var login = await client.SignInAsync(MasterKey);
        var session = client.Cookies.GetCookies(new Uri(gateway.BaseAddress, "ui"))[UiSessions.CookieName]!.Value;
        var token = await client.TokenAsync("ui");

        using var logout = await client.PostFormAsync("ui/logout", new Dictionary<string, string> { ["__csrf"] = token }, withToken: false);
        using var replay = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "ui/api/state"));
        replay.Headers.Add("Cookie", $"{UiSessions.CookieName}={session}");
        using var plain = new HttpClient();
        using var replayed = await plain.SendAsync(replay);

        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        Assert.Equal("/ui/login", logout.Headers.Location?.OriginalString);
        Assert.Null(client.Cookies.GetCookies(new Uri(gateway.BaseAddress, "ui"))[UiSessions.CookieName]);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }

    [Fact]
    public async Task Login_NoAntiforgeryToken_400AndNoSession()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml());
        using var client = new UiTestClient(gateway);

        using var login = await client.PostFormAsync("ui/login", new Dictionary<string, string> { ["key"] = MasterKey }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Null(client.Cookies.GetCookies(new Uri(gateway.BaseAddress, "ui"))[UiSessions.CookieName]);
    }

    [Fact]
    public async Task Login_NoMasterKeyNoCredentials_Refused()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml(masterKey: null));
        using var client = new UiTestClient(gateway);

        var page = await client.Http.GetStringAsync(new Uri("ui/login", UriKind.Relative));
        // No form is offered; a hand-made post is refused all the same.
        using var login = await client.PostFormAsync("ui/login", new Dictionary<string, string> { ["key"] = "anything" }, withToken: false);

        Assert.Contains("needs a master key", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"key\"", page, StringComparison.Ordinal);
        Assert.Contains(login.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden });
        Assert.Null(client.Cookies.GetCookies(new Uri(gateway.BaseAddress, "ui"))[UiSessions.CookieName]);
    }

    [Fact]
    public async Task Console_SignedInAndBrowsing_MasterKeyInNoPageAndNoLog()
    {
        var logs = new FakeLogCollector();
        await using var gateway = await TestGateway.StartAsync(Yaml(), configureServices: s => s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        using var client = new UiTestClient(gateway);

        var seen = new List<string> { await client.Http.GetStringAsync(new Uri("ui/login", UriKind.Relative)) };
        using (var wrong = await client.SignInAsync(MasterKey + "x"))
        {
            seen.Add(await wrong.Content.ReadAsStringAsync());
        }

        using (var login = await client.SignInAsync(MasterKey))
        {
            seen.Add(await login.Content.ReadAsStringAsync());
        }

        foreach (var path in new[] { "ui", "ui/deployments", "ui/api/state", "ui/assets/console.js" })
        {
            seen.Add(await client.Http.GetStringAsync(new Uri(path, UriKind.Relative)));
        }

        var logText = string.Join('\n', logs.GetSnapshot().Select(l => l.Message + " " + string.Join(' ', l.StructuredState?.Select(p => p.Value) ?? [])));
        Assert.Contains(logs.GetSnapshot(), l => l.Id.Id == 7501);
        Assert.Contains(logs.GetSnapshot(), l => l.Id.Id == 7502);
        Assert.All(seen, text => Assert.DoesNotContain(MasterKey, text, StringComparison.Ordinal));
        Assert.DoesNotContain(MasterKey, logText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin_only", false)]
    [InlineData("all", true)]
    public void Config_UiAccessMode_OtherModesWarnAdminOnly(string mode, bool warns)
    {
        var loaded = LlmGate.Configuration.ConfigLoader.LoadText(Yaml() + $"\n  ui_access_mode: {mode}\n", "c.yaml", _ => null);

        Assert.False(loaded.HasErrors);
        Assert.Equal(warns, loaded.Warnings.Any(w => w.ToString().Contains("admin-only", StringComparison.Ordinal)));
        Assert.DoesNotContain(loaded.Warnings, w => w.ToString().Contains("ignored: general_settings.ui_access_mode", StringComparison.Ordinal) || w.ToString().Contains(", general_settings.ui_access_mode", StringComparison.Ordinal));
    }
}
