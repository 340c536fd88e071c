using LlmGate.Alerting.Silences;
using LlmGate.Testing;
using LlmGate.Tests.Alerting.Silences;
using LlmGate.Ui.Components;
using LlmGate.Ui.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Ui;

/// <summary>The Silences page's handlers on the real gateway's editor and store, and its rendering.</summary>
public sealed class SilencesPageTests : IAsyncLifetime
{
    private FakePagerDuty _pagerDuty = null!;
    private TestGateway _gateway = null!;

    private SilenceEditor Editor => _gateway.Services.GetRequiredService<SilenceEditor>();

    public async Task InitializeAsync()
    {
        _pagerDuty = await FakePagerDuty.StartAsync();
        _gateway = await TestGateway.StartAsync(SilenceApiTests.Yaml(alerting: true), SilenceApiTests.Environment(_pagerDuty));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _pagerDuty.DisposeAsync();
    }

    private static SilenceForm Form(string duration = "2h", string comment = "deploy", params SilenceFormMatcher[] matchers) =>
        new([.. matchers, .. Enumerable.Repeat(SilenceFormMatcher.Blank, SilenceForm.Rows - matchers.Length)], duration, comment);

    [Fact]
    public void Create_ValidForm_StoredWithMatchersDurationAndCreator()
    {
        var form = Form("1h30m", "db maintenance", new("class", "=", "llm_api_failure"), new("model_group", "=~", "gpt-4.*"), new("channel", "!=", "email"));

        var silence = SilencesEndpoint.Create(Editor, form, "alice", out var error);

        Assert.NotNull(silence);
        Assert.Equal("", error);
        var stored = Assert.Single(Editor.Store.Current);
        Assert.Equal(silence.Id, stored.Id);
        Assert.Equal(["class=llm_api_failure", "model_group=~gpt-4.*", "channel!=email"], stored.Matchers.Select(m => m.ToString()));
        // Ends 90 minutes after the form was read; the editor starts it at its own (real) clock reading a moment later.
        Assert.InRange(stored.EndsAt - stored.StartsAt, TimeSpan.FromMinutes(90) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(90));
        Assert.Equal("alice", stored.CreatedBy);
        Assert.Equal("db maintenance", stored.Comment);
        Assert.Equal(SilenceState.Active, stored.StateAt(Editor.Now));
    }

    [Theory]
    [InlineData("2x", "class", "=", "llm_api_failure", "not a duration")]
    [InlineData("2h", "nope", "=", "x", "unknown label name 'nope'")]
    [InlineData("2h", "class", "=~", "(", "invalid regex")]
    [InlineData("2h", "class", "=~", ".*", "every matcher matches the empty string")]
    [InlineData("2h", "", "=", "x", "row 1 has a value but no label name")]
    [InlineData("2h", "class", "<>", "x", "operator must be one of")]
    public void Create_InvalidForm_RefusedWithReasonAndNothingStored(string duration, string name, string op, string value, string expected)
    {
        var silence = SilencesEndpoint.Create(Editor, Form(duration, "c", new SilenceFormMatcher(name, op, value)), "alice", out var error);

        Assert.Null(silence);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Empty(Editor.Store.Current);
    }

    [Fact]
    public async Task Render_ValidationError_AlertShownAndFormValuesKept()
    {
        var form = Form("2h", "keep this comment", new SilenceFormMatcher("nope", "!~", "kept-value"));
        SilencesEndpoint.Create(Editor, form, "alice", out var error);
        var model = SilencesEndpoint.Build(Editor, form, error, status: null);

        var html = await PagesTestRenderer.RenderAsync<SilencesPage>(PagesTestRenderer.Context("silences", "Silences"), model);

        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("unknown label name &#x27;nope&#x27;", html, StringComparison.Ordinal);
        Assert.Contains("id=\"matcher_name_0\" name=\"matcher_name_0\" list=\"label-names\" value=\"nope\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"kept-value\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"!~\" selected>", html, StringComparison.Ordinal);
        Assert.Contains("keep this comment</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"silence-form\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"matcher_value_4\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expire_ActiveSilence_ExpiredInStoreAndRowShowsState()
    {
        var silence = SilencesEndpoint.Create(Editor, Form(matchers: new SilenceFormMatcher("class", "=", "llm_api_failure")), "alice", out _)!;
        var active = await PagesTestRenderer.RenderAsync<SilencesPage>(
            PagesTestRenderer.Context("silences", "Silences"), SilencesEndpoint.Build(Editor, SilenceForm.Empty, null, null));
        Assert.Contains($"data-silence=\"{silence.Id}\" data-state=\"active\"", active, StringComparison.Ordinal);
        Assert.Contains("data-action=\"expire\"", active, StringComparison.Ordinal);

        Assert.NotNull(Editor.Expire(silence.Id));
        var expired = await PagesTestRenderer.RenderAsync<SilencesPage>(
            PagesTestRenderer.Context("silences", "Silences"), SilencesEndpoint.Build(Editor, SilenceForm.Empty, null, "Silence expired."));

        Assert.Equal(SilenceState.Expired, Editor.Store.Find(silence.Id)!.StateAt(Editor.Now));
        Assert.Contains($"data-silence=\"{silence.Id}\" data-state=\"expired\"", expired, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"expire\"", expired, StringComparison.Ordinal);
        Assert.Contains("Silence expired.", expired, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_AlertingOff_NoteInsteadOfForm()
    {
        var html = await PagesTestRenderer.RenderAsync<SilencesPage>(PagesTestRenderer.Context("silences", "Silences"), SilencesEndpoint.Build(null, SilenceForm.Empty, null, null));

        Assert.Contains("id=\"alerting-off\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("silence-form", html, StringComparison.Ordinal);
    }
}
