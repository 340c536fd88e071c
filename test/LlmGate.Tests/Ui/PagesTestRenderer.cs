using LlmGate.Ui;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Tests.Ui;

/// <summary>Renders a console page component to HTML, as the server does, without a request or a session.</summary>
internal static class PagesTestRenderer
{
    public static UiPageContext Context(string page, string title) => new(page, title, "__csrf", "csrf-token-value", "alice");

    public static async Task<string> RenderAsync<TPage>(UiPageContext page, object model)
        where TPage : IComponent
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                ["Page"] = page,
                ["Model"] = model,
            }));
            return output.ToHtmlString();
        });
    }
}
