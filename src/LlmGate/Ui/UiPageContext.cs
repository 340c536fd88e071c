namespace LlmGate.Ui;

/// <summary>
/// What every console page's layout needs from the request: which page is shown, the anti-forgery token for its
/// forms (logout included), and who is signed in. Built per request by the endpoint that renders the page.
/// </summary>
public sealed record UiPageContext(string ActivePage, string Title, string AntiforgeryFieldName, string AntiforgeryToken, string SignedInAs);
