using System.Net;
using System.Text.RegularExpressions;
using LlmGate.Keys;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Ui;

/// <summary>The Keys & spend page through the real gateway, signed in at /ui/login like a browser.</summary>
public sealed partial class KeysEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-master-keys-e2e-7117";
    private TestGateway _gateway = null!;
    private UiTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, mock_response: hi}
            general_settings:
              master_key: {{MasterKey}}
            """);
        _client = new UiTestClient(_gateway);
        (await _client.SignInAsync(MasterKey)).Dispose();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields)
    {
        fields["__csrf"] = await _client.TokenAsync("ui/keys");
        using var content = new FormUrlEncodedContent(fields);
        return await _client.Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    [Fact]
    public async Task Create_Form_KeyShownOnceNeverInUrlAndWorksForCalls()
    {
        using var created = await PostAsync("ui/keys", new() { ["key_alias"] = "e2e", ["models"] = "gpt-4o", ["max_budget"] = "3" });
        var html = await created.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, created.StatusCode); // rendered, not redirected: the key is in no URL
        Assert.Null(created.Headers.Location);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        var key = NewKey().Match(html).Groups[1].Value;
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);
        Assert.NotNull(await _gateway.Services.GetRequiredService<IKeyStore>().FindKeyAsync(KeyHashes.Of(key), CancellationToken.None));

        var next = await _client.Http.GetStringAsync(new Uri("ui/keys", UriKind.Relative));
        Assert.DoesNotContain(key, next, StringComparison.Ordinal);
        Assert.Contains("data-key-alias=\"e2e\"", next, StringComparison.Ordinal);
        Assert.Contains("sk-..." + key[^4..], next, StringComparison.Ordinal);
        foreach (var cookie in _client.Cookies.GetAllCookies().Cast<Cookie>())
        {
            Assert.DoesNotContain(key, cookie.Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BlockAndDelete_RowButtons_SeeOtherAndStoreChanged()
    {
        using var created = await PostAsync("ui/keys", new() { ["key_alias"] = "to-block" });
        var token = KeyHashes.Of(NewKey().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value);
        var store = _gateway.Services.GetRequiredService<IKeyStore>();

        using var blocked = await PostAsync("ui/keys/block", new() { ["key"] = token });
        Assert.Equal(HttpStatusCode.SeeOther, blocked.StatusCode);
        Assert.Equal("/ui/keys?status=key-blocked", blocked.Headers.Location!.OriginalString);
        Assert.True((await store.FindKeyAsync(token, CancellationToken.None))!.Blocked);
        var page = await _client.Http.GetStringAsync(new Uri("ui/keys?status=key-blocked", UriKind.Relative));
        Assert.Contains("data-action=\"unblock\"", page, StringComparison.Ordinal);
        Assert.Contains("Key blocked.", page, StringComparison.Ordinal);

        using var deleted = await PostAsync("ui/keys/delete", new() { ["key"] = token });
        Assert.Equal(HttpStatusCode.SeeOther, deleted.StatusCode);
        Assert.Null(await store.FindKeyAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task Create_WithoutCsrfToken_400AndNoKey()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key_alias"] = "forged" });

        using var response = await _client.Http.PostAsync(new Uri("ui/keys", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await _gateway.Services.GetRequiredService<IKeyStore>().FindKeyByAliasAsync("forged", CancellationToken.None));
    }

    [GeneratedRegex("<output id=\"new-key\"><code>([^<]+)</code></output>")]
    private static partial Regex NewKey();
}
