namespace LlmGate.Ui.Pages;

/// <summary>What the Config page shows: the effective config with every secret masked, and <c>validate</c>'s warnings.</summary>
public sealed record ConfigModel(string EffectiveConfig, IReadOnlyList<ConfigWarningRow> Warnings);
