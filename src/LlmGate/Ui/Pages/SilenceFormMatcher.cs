namespace LlmGate.Ui.Pages;

/// <summary>One matcher row of the silence form as sent: label name, operator (<c>=</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>) and value.</summary>
public sealed record SilenceFormMatcher(string Name, string Op, string Value)
{
    public static readonly SilenceFormMatcher Blank = new("", "=", "");

    public bool IsBlank => Name.Length == 0 && Value.Length == 0;
}
