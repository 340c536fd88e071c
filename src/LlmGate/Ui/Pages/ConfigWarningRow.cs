namespace LlmGate.Ui.Pages;

/// <summary>One warning from loading the config: the YAML path, the line (0: the whole file) and what is wrong.</summary>
public sealed record ConfigWarningRow(string Path, int Line, string Message);
