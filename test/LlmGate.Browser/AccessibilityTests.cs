using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LlmGate.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task EveryPage_AxeScan_NoSeriousOrCriticalViolations()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await gateway.SucceedAsync(3);
        // The console's CSP refuses injected scripts (as it should): only this scan's context bypasses it.
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(EveryPage_AxeScan_NoSeriousOrCriticalViolations), bypassCsp: true);
        var violations = new List<string>();
        await viewer.VisitLoginAsync("login");
        violations.AddRange((await viewer.AxeViolationsAsync()).Select(v => "/ui/login: " + v));
        await viewer.LoginWithMasterKeyAsync();
        foreach (var (path, name) in ConsolePages.All)
        {
            await viewer.VisitAsync(path, name);
            violations.AddRange((await viewer.AxeViolationsAsync()).Select(v => path + ": " + v));
        }

        foreach (var violation in violations)
        {
            output.WriteLine(violation);
        }

        Assert.True(violations.Count == 0, "axe-core found serious or critical violations:\n" + string.Join('\n', violations));
        viewer.AssertNoErrors();
    }

    [BrowserFact]
    public async Task EveryPage_Phone_NoConsoleErrorAndNoSecret()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(
            fixture.Browser, gateway.BaseAddress, output, nameof(EveryPage_Phone_NoConsoleErrorAndNoSecret), viewport: new ViewportSize { Width = 390, Height = 844 });
        await viewer.LoginWithMasterKeyAsync();
        foreach (var (path, name) in ConsolePages.All)
        {
            await viewer.VisitAsync(path, name);
            // Usable on a phone: nothing wider than the screen.
            var overflow = await viewer.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than a phone's screen");
        }

        viewer.AssertNoErrors();
    }

    [BrowserFact]
    public async Task Keyboard_Tab_SkipLinkFirstThenEveryNavLink()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(Keyboard_Tab_SkipLinkFirstThenEveryNavLink));
        await viewer.LoginWithMasterKeyAsync();
        await viewer.VisitAsync("/ui", "overview");
        var navLinks = await viewer.Page.EvalOnSelectorAllAsync<string[]>("nav a[href]", "links => links.map(a => a.getAttribute('href'))");
        Assert.NotEmpty(navLinks);

        var focused = new List<JsonElement>();
        for (var i = 0; i < navLinks.Length + 4; i++)
        {
            await viewer.Page.Keyboard.PressAsync("Tab");
            focused.Add(await viewer.Page.EvaluateAsync<JsonElement>("""
                () => {
                  const e = document.activeElement;
                  return { href: e?.getAttribute('href') ?? '', inNav: !!e?.closest('nav'), inMain: !!e?.closest('main'), text: (e?.textContent ?? '').trim() };
                }
                """));
        }

        output.WriteLine(string.Join('\n', focused.Select(f => f.ToString())));
        var first = focused[0];
        Assert.StartsWith("#", first.GetProperty("href").GetString(), StringComparison.Ordinal); // the skip link, to the content
        Assert.False(first.GetProperty("inNav").GetBoolean());
        var reachedBeforeMain = focused.TakeWhile(f => !f.GetProperty("inMain").GetBoolean())
            .Where(f => f.GetProperty("inNav").GetBoolean()).Select(f => f.GetProperty("href").GetString()).ToList();
        Assert.All(navLinks, link => Assert.Contains(link, reachedBeforeMain));

        // The skip link moves focus past the navigation.
        await viewer.Page.GotoAsync("/ui");
        await viewer.Page.Keyboard.PressAsync("Tab");
        await viewer.Page.Keyboard.PressAsync("Enter");
        await viewer.Page.Keyboard.PressAsync("Tab");
        Assert.False(await viewer.Page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('nav')"), "after the skip link, Tab is still in the navigation");
        viewer.AssertNoErrors();
    }
}
