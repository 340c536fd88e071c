using Microsoft.Playwright;

namespace LlmGate.Browser;

/// <summary>One headless chromium (the system's, never a downloaded one) for every test of the collection.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (BrowserTools.SkipReason is not null)
        {
            return; // every test skips
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assertions.SetDefaultExpectTimeout(ConsoleBrowser.TimeoutMs); // Expect(...) waits too, 5 s unless told
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserTools.Chromium,
            Headless = true,
            Timeout = 30_000,
            // No proxy, so every request of the page goes straight to 127.0.0.1.
            Args = ["--no-proxy-server", "--disable-gpu"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
