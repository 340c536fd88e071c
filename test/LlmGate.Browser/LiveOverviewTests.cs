using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LlmGate.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LiveOverviewTests(BrowserFixture fixture, ITestOutputHelper output)
{
    /// <summary>The bound: from the last failing call's answer to what the page shows.</summary>
    private const float PushedWithinMs = 2_000;

    [BrowserFact]
    public async Task Overview_UpstreamFails_DeploymentUnhealthyAndIncidentPushedWithin2s()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(Overview_UpstreamFails_DeploymentUnhealthyAndIncidentPushedWithin2s));
        await gateway.SucceedAsync(5);
        await viewer.LoginWithMasterKeyAsync();
        await viewer.VisitAsync("/ui", "overview-before");
        var deployment = viewer.Page.Locator($"[data-deployment=\"{ConsoleGateway.DeploymentId}\"]").First;
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-health", "healthy");
        await Assertions.Expect(viewer.Page.Locator("[data-incident]")).ToHaveCountAsync(0);
        // Survives only if the page is never reloaded: what follows must be pushed.
        await viewer.Page.EvaluateAsync("() => { window.llmgateNotReloaded = true; }");

        await gateway.FailAsync();
        var lastFailure = Stopwatch.StartNew();

        await viewer.Page.Locator($"[data-deployment=\"{ConsoleGateway.DeploymentId}\"]:is([data-health=unhealthy], [data-health=cooling])").First
            .WaitForAsync(new() { Timeout = Math.Max(1, PushedWithinMs - (float)lastFailure.Elapsed.TotalMilliseconds) });
        await viewer.Page.Locator("[data-incident]").First
            .WaitForAsync(new() { Timeout = Math.Max(1, PushedWithinMs - (float)lastFailure.Elapsed.TotalMilliseconds) });
        output.WriteLine($"unhealthy deployment and open incident shown {lastFailure.ElapsedMilliseconds} ms after the last failure");

        Assert.True(await viewer.Page.EvaluateAsync<bool>("() => window.llmgateNotReloaded === true"), "the page was reloaded");
        var health = await deployment.GetAttributeAsync("data-health");
        Assert.Contains(health!, await deployment.InnerTextAsync(), StringComparison.OrdinalIgnoreCase); // in words, not colour alone
        // The incident on the page is the one PagerDuty got: the same dedup key.
        await gateway.PagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(10));
        var dedupKey = gateway.PagerDuty.Events[0].DedupKey;
        await Assertions.Expect(viewer.Page.Locator($"[data-incident=\"{dedupKey}\"]")).ToHaveCountAsync(1);

        await viewer.AssertNoSecretInPageAsync("overview-after");
        await viewer.ScreenshotAsync("overview-after");
        // The README's picture: the viewport only, a laptop's size; LLMGATE_UI_README_SCREENSHOT=docs/console-overview.png writes it there too.
        var picture = await viewer.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotDirectory, "console-overview.png") });
        if (Environment.GetEnvironmentVariable("LLMGATE_UI_README_SCREENSHOT") is { Length: > 0 } readmePicture)
        {
            await File.WriteAllBytesAsync(readmePicture, picture);
            output.WriteLine("README screenshot: " + Path.GetFullPath(readmePicture));
        }
        viewer.AssertNoErrors();
    }
}
