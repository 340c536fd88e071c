using LlmGate.Keys;
using LlmGate.Testing;
using LlmGate.Ui.Components;
using LlmGate.Ui.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Ui;

/// <summary>The Keys & spend page's handlers on the real gateway's key store (SQLite), and its rendering.</summary>
public sealed class KeysPageTests : IAsyncLifetime
{
    private const string MasterKey = "sk-master-keys-page-4242";
    private TestGateway _gateway = null!;

    private IKeyStore Store => _gateway.Services.GetRequiredService<IKeyStore>();

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync(Yaml(MasterKey));

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static string Yaml(string? masterKey) => $$"""
        model_list:
          - model_name: gpt-4o
            litellm_params: {model: openai/gpt-4o, mock_response: hi}
        general_settings:
          {{(masterKey is null ? "" : "master_key: " + masterKey)}}
        """;

    private HttpContext Context() => new DefaultHttpContext { RequestServices = _gateway.Services };

    [Fact]
    public async Task CreateKey_Form_StoredWithAliasModelsAndBudget()
    {
        var (key, error) = await KeysEndpoint.CreateKeyAsync(Context(), new KeyForm("billing-bot", "gpt-4o, gpt-4o-mini", "12.5"));

        Assert.Null(error);
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);
        var stored = await Store.FindKeyAsync(KeyHashes.Of(key!), CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("billing-bot", stored.KeyAlias);
        Assert.Equal(["gpt-4o", "gpt-4o-mini"], stored.Models);
        Assert.Equal(12.5, stored.Limits.MaxBudget);
        Assert.Equal(GeneratedKeysName(key!), stored.KeyName);
    }

    [Theory]
    [InlineData("lots", "max_budget must be a number")]
    [InlineData("-1", "max_budget")]
    public async Task CreateKey_BadBudget_RefusedAndNothingStored(string budget, string expected)
    {
        var (key, error) = await KeysEndpoint.CreateKeyAsync(Context(), new KeyForm("x", "", budget));

        Assert.Null(key);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(0, (await Store.ListKeysAsync(new KeyListQuery(), CancellationToken.None)).TotalCount);
    }

    [Fact]
    public async Task CreateKey_AliasTaken_RefusedWithTheApisMessage()
    {
        await KeysEndpoint.CreateKeyAsync(Context(), new KeyForm("dup", "", ""));

        var (key, error) = await KeysEndpoint.CreateKeyAsync(Context(), new KeyForm("dup", "", ""));

        Assert.Null(key);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockUnblockDelete_Key_ChangedInStoreAndDirectory()
    {
        var (key, _) = await KeysEndpoint.CreateKeyAsync(Context(), new KeyForm("ops", "", ""));
        var token = KeyHashes.Of(key!);
        var directory = _gateway.Services.GetRequiredService<KeyDirectory>();
        Assert.False((await directory.FindAsync(token))!.Record.Blocked); // cached now: the change must reach the cache

        Assert.Null(await KeysEndpoint.SetBlockedAsync(Context(), token, blocked: true));
        Assert.True((await Store.FindKeyAsync(token, CancellationToken.None))!.Blocked);
        Assert.True((await directory.FindAsync(token))!.Record.Blocked);

        Assert.Null(await KeysEndpoint.SetBlockedAsync(Context(), token, blocked: false));
        Assert.False((await Store.FindKeyAsync(token, CancellationToken.None))!.Blocked);

        Assert.Null(await KeysEndpoint.DeleteKeyAsync(Context(), token));
        Assert.Null(await Store.FindKeyAsync(token, CancellationToken.None));
        Assert.Null(await directory.FindAsync(token));

        Assert.Contains("not found", await KeysEndpoint.DeleteKeyAsync(Context(), token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_NewKey_ShownOnceThenOnlyItsMaskedName()
    {
        var (key, _) = await KeysEndpoint.CreateKeyAsync(Context(), new KeyForm("shown-once", "", "5"));
        var created = await KeysEndpoint.BuildAsync(_gateway.Services, KeyForm.Empty, null, "Key created.", key, CancellationToken.None);
        var createdHtml = await PagesTestRenderer.RenderAsync<KeysPage>(PagesTestRenderer.Context("keys", "Keys & spend"), created);

        var next = await KeysEndpoint.BuildAsync(_gateway.Services, KeyForm.Empty, null, null, null, CancellationToken.None);
        var nextHtml = await PagesTestRenderer.RenderAsync<KeysPage>(PagesTestRenderer.Context("keys", "Keys & spend"), next);

        Assert.Contains($"<output id=\"new-key\"><code>{key}</code></output>", createdHtml, StringComparison.Ordinal);
        Assert.Single(AllIndexes(createdHtml, key!));
        Assert.DoesNotContain(key!, nextHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"new-key\"", nextHtml, StringComparison.Ordinal);
        foreach (var html in new[] { createdHtml, nextHtml })
        {
            Assert.Contains("data-key-alias=\"shown-once\"", html, StringComparison.Ordinal);
            Assert.Contains(GeneratedKeysName(key!), html, StringComparison.Ordinal);
            Assert.Contains("data-action=\"block\"", html, StringComparison.Ordinal);
            Assert.Contains("data-action=\"delete\"", html, StringComparison.Ordinal);
            Assert.Contains("id=\"key-form\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Render_KeysOff_SaysHowToTurnThemOn()
    {
        await using var open = await TestGateway.StartAsync(Yaml(masterKey: null));

        var model = await KeysEndpoint.BuildAsync(open.Services, KeyForm.Empty, null, null, null, CancellationToken.None);
        var html = await PagesTestRenderer.RenderAsync<KeysPage>(PagesTestRenderer.Context("keys", "Keys & spend"), model);

        Assert.Contains("id=\"keys-off\"", html, StringComparison.Ordinal);
        Assert.Contains("general_settings.master_key", html, StringComparison.Ordinal);
        Assert.DoesNotContain("key-form", html, StringComparison.Ordinal);
    }

    private static string GeneratedKeysName(string key) => "sk-..." + key[^4..];

    private static List<int> AllIndexes(string text, string value)
    {
        var found = new List<int>();
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            found.Add(i);
        }

        return found;
    }
}
