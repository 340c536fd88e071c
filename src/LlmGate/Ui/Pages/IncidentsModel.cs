namespace LlmGate.Ui.Pages;

/// <summary>What the Incidents page shows: the open incidents, and the recent delivery attempts (newest first).</summary>
public sealed record IncidentsModel(bool AlertingEnabled, IReadOnlyList<IncidentRow> Open, IReadOnlyList<DeliveryRow> Attempts)
{
    public static readonly IncidentsModel Off = new(false, [], []);
}
