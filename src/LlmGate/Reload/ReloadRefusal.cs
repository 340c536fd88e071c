namespace LlmGate.Reload;

/// <summary><c>POST /config/reload</c>'s answer when the file has errors: an OpenAI-style error, with the whole result beside it.</summary>
internal sealed record ReloadRefusal(ReloadRefusalError Error, ReloadResult Reload);
