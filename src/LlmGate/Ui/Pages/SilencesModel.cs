namespace LlmGate.Ui.Pages;

/// <summary>
/// What the Silences page shows: every silence kept (active, pending, expired within retention), the create form
/// with the values last sent, and the error or status message. <see cref="AlertingEnabled"/> false: a note instead.
/// </summary>
public sealed record SilencesModel(bool AlertingEnabled, IReadOnlyList<SilenceRow> Silences, SilenceForm Form, string? Error, string? Status)
{
    public static readonly SilencesModel Off = new(false, [], SilenceForm.Empty, null, null);
}
