namespace LlmGate.Ui.Pages;

/// <summary>
/// What the Keys & spend page shows. <see cref="OffReason"/> set: virtual keys are off and it says how to turn them on.
/// <see cref="NewKey"/> is set only in the answer to the form that created it: the key is shown that once.
/// </summary>
public sealed record KeysModel(
    string? OffReason,
    IReadOnlyList<KeyRow> Keys,
    int TotalKeys,
    KeyForm Form,
    string? Error,
    string? Status,
    string? NewKey,
    SpendReport? Spend)
{
    public static KeysModel Off(string reason) => new(reason, [], 0, KeyForm.Empty, null, null, null, null);
}
