using LlmGate.Configuration;
using LlmGate.Routing;
using LlmGate.Secrets;
using LlmGate.Ui.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Ui.Pages;

/// <summary><c>GET /ui/config</c>: the config the gateway runs with (secrets masked) and the warnings it loaded with.</summary>
internal static class ConfigEndpoint
{
    public const string Path = "/ui/config";

    public static IResult Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        var model = Build(
            services.GetRequiredService<GatewaySnapshotSource>().Current.Config,
            services.GetService<ConfigLoadResult>(),
            services.GetService<UiOptions>());
        return UiPages.Render<ConfigPage>(context, new Dictionary<string, object?>
        {
            [nameof(ConfigPage.Page)] = UiPages.Context(context, "config", "Config"),
            [nameof(ConfigPage.Model)] = model,
        });
    }

    public static ConfigModel Build(GatewayConfig config, ConfigLoadResult? loaded, UiOptions? ui)
    {
        ArgumentNullException.ThrowIfNull(config);

        // A warning quotes the file, and a value quoted could be a secret: each known one is taken out.
        var scrubber = new SecretScrubber(ConfigText.Secrets(config, ui));
        var warnings = (loaded?.Warnings ?? [])
            .Select(w => new ConfigWarningRow(w.Path, w.Line, scrubber.Scrub(w.Message, maxLength: 1000)))
            .ToList();
        return new ConfigModel(ConfigText.Render(config, ui), warnings);
    }
}
