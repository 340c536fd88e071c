using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LlmGate.Browser;

/// <summary>
/// One viewer of the console: a fresh browser context (its own cookies) and page on the gateway. Every console error
/// and page error is collected (a test fails on any), every page visited is checked for secrets and saved as a
/// full-page screenshot under <c>TestResults/ui-screenshots/</c> in the test output.
/// </summary>
internal sealed class ConsoleBrowser : IAsyncDisposable
{
    /// <summary>
    /// Every Playwright wait is bounded by this. Waits end on events, so the bound only matters when something is wrong;
    /// 10 s was once too short for a page's load event with chromium and the gateway sharing 2 cores with another test
    /// assembly.
    /// </summary>
    public const float TimeoutMs = 30_000;

    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "TestResults", "ui-screenshots");

    private readonly List<string> _errors = [];
    private readonly List<string> _extraSecrets = [];
    private readonly ITestOutputHelper _output;
    private readonly string _testName;
    private readonly Uri _baseAddress;

    private ConsoleBrowser(IBrowserContext context, IPage page, Uri baseAddress, ITestOutputHelper output, string testName)
    {
        Context = context;
        Page = page;
        _baseAddress = baseAddress;
        _output = output;
        _testName = testName;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught page errors so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <param name="bypassCsp">Only for the axe scan: axe is injected as a script tag, which the console's CSP refuses by design.</param>
    public static async Task<ConsoleBrowser> OpenAsync(
        IBrowser browser, Uri baseAddress, ITestOutputHelper output, string testName, bool bypassCsp = false, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            BypassCSP = bypassCsp,
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
            TimezoneId = "Europe/Berlin", // timestamps in the viewer's zone, not the server's
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        var page = await context.NewPageAsync();
        var viewer = new ConsoleBrowser(context, page, baseAddress, output, testName);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                viewer.AddError($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => viewer.AddError("page error: " + error);
        // Everything the page loads must come from the gateway itself (no CDN): anything else is refused and reported.
        await context.RouteAsync(url => !url.StartsWith(baseAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal), async route =>
        {
            viewer.AddError("request outside the gateway: " + route.Request.Url);
            await route.AbortAsync();
        });
        return viewer;
    }

    /// <summary>Also never to be seen in a page other than the one that shows it once (a created key).</summary>
    public void AddSecret(string secret) => _extraSecrets.Add(secret);

    /// <summary>Signs in through the form with the master key and lands on a console page.</summary>
    public async Task LoginWithMasterKeyAsync()
    {
        await Page.GotoAsync("/ui/login");
        await Page.FillAsync("#key", ConsoleGateway.MasterKey);
        await SubmitLoginAsync();
    }

    /// <summary>Signs in with UI_USERNAME / UI_PASSWORD.</summary>
    public async Task LoginWithPasswordAsync(string username, string password)
    {
        await Page.GotoAsync("/ui/login");
        await Page.FillAsync("#username", username);
        await Page.FillAsync("#password", password);
        await SubmitLoginAsync();
    }

    /// <summary>Opens the sign-in page (no session needed), checks it holds no secret and saves its screenshot.</summary>
    public async Task VisitLoginAsync(string pageName)
    {
        var response = await Page.GotoAsync("/ui/login");
        Assert.True(response?.Ok, "/ui/login answered " + response?.Status);
        await AssertNoSecretInPageAsync(pageName);
        await ScreenshotAsync(pageName);
    }

    /// <summary>
    /// Fills and submits the sign-in form with credentials it refuses; the status of the form's POST, once the page it
    /// answered with shows its refusal. (Waiting for the answer page's load state instead once hung for 30 s under CI
    /// load although the page had loaded; the refusal on the page is what the caller needs anyway.)
    /// </summary>
    public async Task<int> SubmitRefusedLoginFormAsync(string username, string password)
    {
        await Page.GotoAsync("/ui/login");
        await Page.FillAsync("#username", username);
        await Page.FillAsync("#password", password);
        var response = await PostLoginFormAsync();
        await Assertions.Expect(Page.Locator("p.alert[role=alert]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return response.Status;
    }

    /// <summary>Opens a console page, checks it holds no secret and saves its screenshot.</summary>
    public async Task<IResponse> VisitAsync(string path, string pageName)
    {
        var response = await Page.GotoAsync(path) ?? throw new InvalidOperationException("no response for " + path);
        Assert.True(response.Ok, $"{path} answered {response.Status}");
        Assert.DoesNotContain("/ui/login", new Uri(Page.Url).AbsolutePath, StringComparison.Ordinal);
        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await AssertNoSecretInPageAsync(pageName);
        await ScreenshotAsync(pageName);
        return response;
    }

    public async Task AssertNoSecretInPageAsync(string pageName)
    {
        var html = await Page.ContentAsync();
        foreach (var secret in ConsoleGateway.Secrets.Concat(_extraSecrets))
        {
            Assert.False(html.Contains(secret, StringComparison.Ordinal), $"the {pageName} page's source holds a secret ({secret[..6]}…)");
        }
    }

    /// <summary>A full-page screenshot as <c>TestResults/ui-screenshots/&lt;test&gt;-&lt;page&gt;.png</c>; prints its path.</summary>
    public async Task<string> ScreenshotAsync(string pageName)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, $"{_testName}-{pageName}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = TimeoutMs });
        _output.WriteLine("screenshot: " + path);
        return path;
    }

    /// <summary>Fails the test on any console error or page error, listing them.</summary>
    public void AssertNoErrors()
    {
        var errors = Errors;
        Assert.True(errors.Count == 0, "errors in the browser:\n" + string.Join('\n', errors));
    }

    /// <summary>axe-core on the current page: the serious and critical violations, one line each (empty when none).</summary>
    public async Task<IReadOnlyList<string>> AxeViolationsAsync()
    {
        await Page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = BrowserTools.AxeScript });
        var result = await Page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }));
            }
            """);
        return result.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} at "
                + string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString())))
            .ToList();
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    private async Task SubmitLoginAsync()
    {
        // Signed in once the form's answer arrives: a 303 away from the form, whose session cookie the browser has stored
        // by then. Neither the redirect's page nor its load is awaited (every caller visits a page next): under CI load
        // the landing page once did not report "load" in 30 s, and WaitForURL waits for "load" whenever the URL already
        // matches when it is called, whatever WaitUntil says.
        var answer = await PostLoginFormAsync();
        Assert.True(answer.Status == 303, "signing in answered " + answer.Status);
        var location = await answer.HeaderValueAsync("location") ?? "";
        Assert.False(location.StartsWith("/ui/login", StringComparison.Ordinal), "signing in led back to " + location);
    }

    // Submits the sign-in form (its action is /ui/login); the answer to that POST.
    private Task<IResponse> PostLoginFormAsync() => Page.RunAndWaitForResponseAsync(
        () => Page.ClickAsync("button[type=submit]"),
        response => response.Request.Method == "POST" && new Uri(response.Url).AbsolutePath == "/ui/login");

    private void AddError(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
