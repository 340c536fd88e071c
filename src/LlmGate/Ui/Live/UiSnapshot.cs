namespace LlmGate.Ui.Live;

/// <summary>
/// Everything the live pages show, built once a second and sent as the same bytes to every viewer. Public because
/// the page components take it as a parameter. Holds no key, no URL with a token, no prompt or answer text.
/// </summary>
public sealed record UiSnapshot
{
    public required long Sequence { get; init; }

    public required DateTimeOffset At { get; init; }

    public required UiTraffic Traffic { get; init; }

    public required bool AlertingEnabled { get; init; }

    public IReadOnlyList<UiWindow> Windows { get; init; } = [];

    public IReadOnlyList<UiIncident> Incidents { get; init; } = [];

    public IReadOnlyList<UiChannel> Channels { get; init; } = [];

    public int? InFlight { get; init; }

    public int? OutboxDepth { get; init; }

    public required UiStores Stores { get; init; }

    public IReadOnlyList<UiDeployment> Deployments { get; init; } = [];
}
