using LlmGate.Testing;

namespace LlmGate.Browser;

/// <summary>
/// Where the system's chromium and axe-core are: <c>LLMGATE_CHROMIUM</c> (else <c>chromium</c> on PATH) and
/// <c>LLMGATE_AXE_PATH</c> (axe.min.js, or a folder holding it or <c>node_modules/axe-core/axe.min.js</c>).
/// .ci/run installs both and sets the variables; Playwright never downloads a browser.
/// </summary>
internal static class BrowserTools
{
    public static string? Chromium { get; } = FindChromium();

    public static string? AxeScript { get; } = FindAxe();

    /// <summary>Why the browser tests cannot run here; null when they can.</summary>
    public static string? SkipReason =>
        Chromium is null
            ? "chromium is not installed (apt-get install chromium; .ci/run does and sets LLMGATE_CHROMIUM)"
            : AxeScript is null
                ? "axe-core is not installed (npm install --prefix DIR axe-core, then LLMGATE_AXE_PATH=DIR; .ci/run does)"
                : null;

    private static string? FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable("LLMGATE_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        return ExecutableOnPath.Find("chromium");
    }

    private static string? FindAxe()
    {
        var configured = Environment.GetEnvironmentVariable("LLMGATE_AXE_PATH");
        if (string.IsNullOrEmpty(configured))
        {
            return null;
        }

        string[] candidates = [configured, Path.Combine(configured, "axe.min.js"), Path.Combine(configured, "node_modules", "axe-core", "axe.min.js")];
        return candidates.FirstOrDefault(File.Exists);
    }
}
