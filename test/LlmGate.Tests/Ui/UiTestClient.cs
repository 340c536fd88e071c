using System.Net;
using System.Text.RegularExpressions;
using LlmGate.Testing;

namespace LlmGate.Tests.Ui;

/// <summary>A browser-like client for the console: cookies kept, redirects not followed, the form's anti-forgery token read from the page.</summary>
internal sealed partial class UiTestClient : IDisposable
{
    private readonly HttpClientHandler _handler;

    public UiTestClient(TestGateway gateway)
    {
        _handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        Http = new HttpClient(_handler) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies => _handler.CookieContainer;

    public async Task<string> TokenAsync(string path = "ui/login")
    {
        var html = await Http.GetStringAsync(new Uri(path, UriKind.Relative));
        return TokenPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("no __csrf field on " + path);
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, IReadOnlyDictionary<string, string> fields, bool withToken = true)
    {
        var form = new Dictionary<string, string>(fields);
        if (withToken)
        {
            form["__csrf"] = await TokenAsync();
        }

        using var content = new FormUrlEncodedContent(form);
        return await Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    public Task<HttpResponseMessage> SignInAsync(string key) => PostFormAsync("ui/login", new Dictionary<string, string> { ["key"] = key });

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
