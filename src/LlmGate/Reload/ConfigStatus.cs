namespace LlmGate.Reload;

/// <summary><c>GET /config/status</c>: which file is in use since when, whether it is watched, and the last reload attempt.</summary>
internal sealed record ConfigStatus(string? Path, DateTimeOffset LoadedAt, bool Watched, ReloadResult? LastReload);
