namespace LlmGate.Ui.Components;

/// <summary>What the sign-in page shows: which fields, the anti-forgery token, an error, where to go after.</summary>
public sealed record UiLoginModel(
    string AntiforgeryFieldName,
    string AntiforgeryToken,
    bool ShowKey,
    bool ShowUserPassword,
    string? Error,
    string? ReturnUrl);
