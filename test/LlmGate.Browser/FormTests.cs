using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LlmGate.Browser;

[Collection(BrowserCollection.Name)]
public sealed class FormTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task Silences_CreateThroughFormThenExpire_ListedActiveThenExpired()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(Silences_CreateThroughFormThenExpire_ListedActiveThenExpired));
        await viewer.LoginWithMasterKeyAsync();
        await viewer.VisitAsync("/ui/silences", "silences-empty");
        await Assertions.Expect(viewer.Page.Locator("[data-silence]")).ToHaveCountAsync(0);

        var form = viewer.Page.Locator("form#silence-form");
        await form.Locator("[name=matcher_name_0]").FillAsync("model_group");
        await form.Locator("[name=matcher_op_0]").SelectOptionAsync("=~");
        await form.Locator("[name=matcher_value_0]").FillAsync("gpt-4o.*");
        await form.Locator("[name=duration]").FillAsync("2h");
        await form.Locator("[name=comment]").FillAsync("OpenAI maintenance window");
        await form.Locator("button[type=submit]").ClickAsync();

        var row = viewer.Page.Locator("[data-silence]").Filter(new() { HasText = "OpenAI maintenance window" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "active");
        var id = await row.GetAttributeAsync("data-silence");
        Assert.False(string.IsNullOrEmpty(id));
        var stored = await gateway.SilenceAsync(id!);
        Assert.Equal("active", stored.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal("model_group", stored.GetProperty("matchers")[0].GetProperty("name").GetString());
        Assert.True(stored.GetProperty("matchers")[0].GetProperty("isRegex").GetBoolean());
        await viewer.ScreenshotAsync("silences-active");

        await row.Locator("button[data-action=expire]").ClickAsync();

        var expired = viewer.Page.Locator($"[data-silence=\"{id}\"]");
        await Assertions.Expect(expired).ToHaveAttributeAsync("data-state", "expired");
        Assert.Equal("expired", (await gateway.SilenceAsync(id!)).GetProperty("status").GetProperty("state").GetString());
        await viewer.AssertNoSecretInPageAsync("silences-expired");
        await viewer.ScreenshotAsync("silences-expired");
        viewer.AssertNoErrors();
    }

    [BrowserFact]
    public async Task Keys_CreateThroughForm_ShownOnceThenListedAndNeverInAPage()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        await using var viewer = await ConsoleBrowser.OpenAsync(fixture.Browser, gateway.BaseAddress, output, nameof(Keys_CreateThroughForm_ShownOnceThenListedAndNeverInAPage));
        await viewer.LoginWithMasterKeyAsync();
        await viewer.VisitAsync("/ui/keys", "keys-empty");
        await Assertions.Expect(viewer.Page.Locator("[data-key-alias=\"billing-app\"]")).ToHaveCountAsync(0);

        var form = viewer.Page.Locator("form#key-form");
        await form.Locator("[name=key_alias]").FillAsync("billing-app");
        await form.Locator("[name=models]").FillAsync("gpt-4o");
        await form.Locator("[name=max_budget]").FillAsync("25");
        await form.Locator("button[type=submit]").ClickAsync();

        var shown = viewer.Page.Locator("#new-key");
        await Assertions.Expect(shown).ToBeVisibleAsync();
        var key = System.Text.RegularExpressions.Regex.Match(await shown.InnerTextAsync(), @"sk-[A-Za-z0-9_\-]{8,}").Value;
        Assert.False(string.IsNullOrEmpty(key), "#new-key shows no sk- key");
        await viewer.ScreenshotAsync("keys-created");
        // The key works: a call with it is answered by the upstream.
        var call = new OpenAI.Chat.ChatClient(ConsoleGateway.ModelGroup, new System.ClientModel.ApiKeyCredential(key), new OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.BaseAddress, "v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
        });
        await call.CompleteChatAsync([new OpenAI.Chat.UserChatMessage("hello")]);

        // Shown once: from here on no page holds it.
        viewer.AddSecret(key);
        await viewer.VisitAsync("/ui/keys", "keys-listed");
        var row = viewer.Page.Locator("[data-key-alias=\"billing-app\"]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(viewer.Page.Locator("#new-key")).ToHaveCountAsync(0);
        await Assertions.Expect(row.Locator("button[data-action=block]")).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("button[data-action=delete]")).ToHaveCountAsync(1);
        foreach (var (path, name) in ConsolePages.All)
        {
            await viewer.VisitAsync(path, name);
        }

        viewer.AssertNoErrors();
    }
}
