namespace LlmGate.Reload;

/// <summary>What one reload attempt did: <c>POST /config/reload</c>'s answer, and the last one in <c>GET /config/status</c>.</summary>
internal sealed record ReloadResult
{
    public required ReloadOutcome Outcome { get; init; }

    /// <summary>What asked for it: <c>api</c>, <c>sighup</c> or <c>file_watch</c>.</summary>
    public required string Trigger { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Every error the file has, with its line; empty unless refused.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The file's warnings (unknown keys, features not implemented).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What changed and was applied, e.g. <c>model_list: 1 added, 2 changed</c>.</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    /// <summary>Changed settings that take effect only after a restart; the running values are kept until then.</summary>
    public IReadOnlyList<string> RestartRequired { get; init; } = [];
}
