using LlmGate.Alerting.Silences;
using LlmGate.OpenAi;
using LlmGate.Ui.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Ui.Pages;

/// <summary>
/// <c>/ui/silences</c>: the list, the create form and the expire buttons, through the same <see cref="SilenceEditor"/>
/// (and so the same <see cref="SilenceValidator"/> rules and log lines) as the Alertmanager-shaped API.
/// </summary>
internal static class SilencesEndpoint
{
    public const string Path = "/ui/silences";

    public static IResult Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var editor = context.RequestServices.GetService<SilenceEditor>();
        return Render(context, Build(editor, SilenceForm.Empty, error: null, PageStatus.Of(context)));
    }

    public static async Task<IResult> PostAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await UiForms.IsValidAsync(context))
        {
            return Results.BadRequest();
        }

        if (context.RequestServices.GetService<SilenceEditor>() is not { } editor)
        {
            return PageStatus.Redirect(Path, "alerting-off");
        }

        var form = SilenceForm.Read(await context.Request.ReadFormAsync(context.RequestAborted));
        if (Create(editor, form, UiSession.SignedInAs(context), out var error) is null)
        {
            // The form comes back as sent, with what is wrong, so nothing typed is lost.
            return Render(context, Build(editor, form, error, status: null), StatusCodes.Status400BadRequest);
        }

        return PageStatus.Redirect(Path, "silence-created");
    }

    public static async Task<IResult> ExpireAsync(HttpContext context)
    {
        var id = context.RouteValue("id");
        ArgumentNullException.ThrowIfNull(context);
        if (!await UiForms.IsValidAsync(context))
        {
            return Results.BadRequest();
        }

        if (context.RequestServices.GetService<SilenceEditor>() is not { } editor)
        {
            return PageStatus.Redirect(Path, "alerting-off");
        }

        return PageStatus.Redirect(Path, editor.Expire(id) is null ? "silence-unknown" : "silence-expired");
    }

    /// <summary>The page's data; <see cref="SilencesModel.Off"/> when alerting (and so silences) is not configured.</summary>
    public static SilencesModel Build(SilenceEditor? editor, SilenceForm form, string? error, string? status)
    {
        if (editor is null)
        {
            return SilencesModel.Off;
        }

        var now = editor.Now;
        var rows = editor.Store.Current
            .Where(s => !s.PastRetention(now))
            .Select(s => SilenceStatus.Of(s, now))
            .Select(s => new SilenceRow(s.Id, s.State, s.Matchers, s.StartsAt, s.EndsAt, s.CreatedBy, s.Comment))
            .ToList();
        return new SilencesModel(true, rows, form, error, status);
    }

    /// <summary>Stores the silence the form describes, created by <paramref name="createdBy"/>; null with <paramref name="error"/> when it is not valid.</summary>
    public static Silence? Create(SilenceEditor editor, SilenceForm form, string createdBy, out string error)
    {
        ArgumentNullException.ThrowIfNull(editor);
        ArgumentNullException.ThrowIfNull(form);
        var matchers = new List<SilenceMatcherDocument>();
        for (var i = 0; i < form.Matchers.Count; i++)
        {
            var row = form.Matchers[i];
            if (row.IsBlank)
            {
                continue;
            }

            if (row.Name.Length == 0)
            {
                error = $"matcher row {i + 1} has a value but no label name";
                return null;
            }

            if (!SilenceForm.Operators.Contains(row.Op, StringComparer.Ordinal))
            {
                error = $"matcher row {i + 1}: the operator must be one of {string.Join(" ", SilenceForm.Operators)}";
                return null;
            }

            matchers.Add(new SilenceMatcherDocument { Name = row.Name, Value = row.Value, IsRegex = row.Op[^1] == '~', IsEqual = row.Op[0] == '=' });
        }

        TimeSpan duration;
        try
        {
            duration = SilenceDuration.Parse(form.Duration);
        }
        catch (FormatException exception)
        {
            error = "duration: " + exception.Message;
            return null;
        }

        var now = editor.Now;
        var document = new SilenceDocument
        {
            Matchers = matchers,
            EndsAt = now + duration, // no start: the editor starts it at its own reading of now
            CreatedBy = createdBy,
            Comment = form.Comment,
        };
        return editor.Post(document, out _, out error);
    }

    private static IResult Render(HttpContext context, SilencesModel model, int statusCode = StatusCodes.Status200OK)
    {
        var result = UiPages.Render<SilencesPage>(context, new Dictionary<string, object?>
        {
            [nameof(SilencesPage.Page)] = UiPages.Context(context, "silences", "Silences"),
            [nameof(SilencesPage.Model)] = model,
        });
        result.StatusCode = statusCode;
        return result;
    }
}
