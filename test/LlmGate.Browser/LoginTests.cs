using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LlmGate.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LoginTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task Login_MasterKey_SessionCookieHttpOnlyStrictAndNoSecretInIt()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(Login_MasterKey_SessionCookieHttpOnlyStrictAndNoSecretInIt));
        await viewer.VisitLoginAsync("login");
        var before = (await viewer.Context.CookiesAsync()).Select(c => c.Name).ToHashSet();

        await viewer.LoginWithMasterKeyAsync();
        await viewer.VisitAsync("/ui", "overview");

        var cookies = await viewer.Context.CookiesAsync();
        var session = cookies.Where(c => !before.Contains(c.Name) && c.Name != "llmgate_csrf").ToList();
        Assert.NotEmpty(session); // signing in set a cookie of its own
        foreach (var cookie in cookies)
        {
            Assert.True(cookie.HttpOnly, cookie.Name + " is not HttpOnly");
            Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
            Assert.DoesNotContain(ConsoleGateway.MasterKey, cookie.Value, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(ConsoleGateway.MasterKey, viewer.Page.Url, StringComparison.Ordinal);
        viewer.AssertNoErrors();
    }

    [BrowserFact]
    public async Task Login_UsernameAndPassword_SignsIn()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(Login_UsernameAndPassword_SignsIn));

        await viewer.LoginWithPasswordAsync(ConsoleGateway.UiUsername, ConsoleGateway.UiPassword);
        await viewer.VisitAsync("/ui", "overview");

        Assert.Contains(ConsoleGateway.UiUsername, await viewer.Page.ContentAsync(), StringComparison.Ordinal); // signed in as
        viewer.AssertNoErrors();
    }

    [BrowserFact]
    public async Task Login_WrongPassword_RefusedThenRateLimited()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(Login_WrongPassword_RefusedThenRateLimited));

        var statuses = new List<int>();
        for (var attempt = 0; attempt < 20 && !statuses.Contains(429); attempt++)
        {
            statuses.Add(await viewer.SubmitRefusedLoginFormAsync(ConsoleGateway.UiUsername, "wrong-password-" + attempt));
            Assert.StartsWith("/ui/login", new Uri(viewer.Page.Url).AbsolutePath, StringComparison.Ordinal); // never into the console
            if (attempt == 0)
            {
                // Refused in words on the form, still on the sign-in page, no session.
                await Assertions.Expect(viewer.Page.Locator("[role=alert]")).ToBeVisibleAsync();
                Assert.StartsWith("/ui/login", new Uri(viewer.Page.Url).AbsolutePath, StringComparison.Ordinal);
                await viewer.ScreenshotAsync("login-refused");
            }
        }

        Assert.NotEqual(429, statuses[0]);
        Assert.Contains(429, statuses);
        var api = await viewer.Context.APIRequest.GetAsync("/ui/api/state", new() { MaxRedirects = 0 });
        Assert.Equal(401, api.Status); // none of the attempts signed in
        await viewer.ScreenshotAsync("login-rate-limited");
        output.WriteLine("login answers: " + string.Join(' ', statuses));
    }

    [BrowserFact]
    public async Task Logout_SignOutButton_PagesRedirectToLoginAndApi401()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(Logout_SignOutButton_PagesRedirectToLoginAndApi401));
        await viewer.LoginWithMasterKeyAsync();
        await viewer.VisitAsync("/ui/deployments", "deployments");
        Assert.Equal(200, (await viewer.Context.APIRequest.GetAsync("/ui/api/state", new() { MaxRedirects = 0 })).Status);

        await viewer.Page.ClickAsync(".signout button");
        await viewer.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/ui/login", StringComparison.Ordinal));
        foreach (var (path, _) in ConsolePages.All)
        {
            await viewer.Page.GotoAsync(path);
            Assert.StartsWith("/ui/login", new Uri(viewer.Page.Url).AbsolutePath, StringComparison.Ordinal);
        }

        Assert.Equal(401, (await viewer.Context.APIRequest.GetAsync("/ui/api/state", new() { MaxRedirects = 0 })).Status);
        Assert.Equal(401, (await viewer.Context.APIRequest.GetAsync("/ui/api/events", new() { MaxRedirects = 0 })).Status);
        await viewer.ScreenshotAsync("signed-out");
        viewer.AssertNoErrors();
    }

    [BrowserFact]
    public async Task FormPost_WithoutAntiforgeryToken_RefusedWithTokenAccepted()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(FormPost_WithoutAntiforgeryToken_RefusedWithTokenAccepted));
        await viewer.LoginWithMasterKeyAsync();
        await viewer.VisitAsync("/ui/keys", "keys");
        var action = await viewer.Page.GetAttributeAsync("form#key-form", "action") ?? "/ui/keys";
        var token = await viewer.Page.GetAttributeAsync("form#key-form input[name=__csrf]", "value");
        Assert.False(string.IsNullOrEmpty(token));

        // The browser context's request API sends the session cookie (and the token's cookie), as a forged post would.
        var form = new Dictionary<string, string> { ["key_alias"] = "forged", ["models"] = "", ["max_budget"] = "" };
        var api = viewer.Context.APIRequest;
        var forged = await api.PostAsync(action, new() { Form = FormOf(api, form), MaxRedirects = 0 });
        var wrongToken = await api.PostAsync(action, new() { Form = FormOf(api, new(form) { ["__csrf"] = "not-the-token" }), MaxRedirects = 0 });
        var genuine = await api.PostAsync(action, new() { Form = FormOf(api, new(form) { ["key_alias"] = "genuine", ["__csrf"] = token! }), MaxRedirects = 0 });

        Assert.Equal(400, forged.Status);
        Assert.Equal(400, wrongToken.Status);
        Assert.True(genuine.Status is 200 or 302 or 303, "the same post with the token answered " + genuine.Status);
        var keys = await gateway.KeyListAsync();
        Assert.DoesNotContain("forged", keys, StringComparison.Ordinal);
        Assert.Contains("genuine", keys, StringComparison.Ordinal);
        viewer.AssertNoErrors();
    }

    private static IFormData FormOf(IAPIRequestContext api, Dictionary<string, string> fields)
    {
        var data = api.CreateFormData();
        foreach (var (name, value) in fields)
        {
            data.Set(name, value);
        }

        return data;
    }
}
