using Microsoft.AspNetCore.Http;

namespace LlmGate.Ui.Pages;

/// <summary>The silence form's values: always <see cref="Rows"/> matcher rows, a duration (<c>2h</c>) and a comment.</summary>
public sealed record SilenceForm(IReadOnlyList<SilenceFormMatcher> Matchers, string Duration, string Comment)
{
    /// <summary>Matcher rows on the form.</summary>
    public const int Rows = 5;

    public static readonly IReadOnlyList<string> Operators = ["=", "!=", "=~", "!~"];

    public static readonly SilenceForm Empty = new([.. Enumerable.Repeat(SilenceFormMatcher.Blank, Rows)], "2h", "");

    internal static SilenceForm Read(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var matchers = new List<SilenceFormMatcher>(Rows);
        for (var i = 0; i < Rows; i++)
        {
            matchers.Add(new SilenceFormMatcher(
                Field(form, $"matcher_name_{i}"),
                Field(form, $"matcher_op_{i}") is { Length: > 0 } op ? op : "=",
                Field(form, $"matcher_value_{i}")));
        }

        return new SilenceForm(matchers, Field(form, "duration"), Field(form, "comment"));
    }

    private static string Field(IFormCollection form, string name) => form.TryGetValue(name, out var values) ? values.ToString().Trim() : "";
}
