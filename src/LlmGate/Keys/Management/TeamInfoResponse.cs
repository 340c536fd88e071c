namespace LlmGate.Keys;

/// <summary><c>GET /team/info</c>: the team and its keys.</summary>
internal sealed record TeamInfoResponse(string TeamId, TeamView TeamInfo, IReadOnlyList<KeyView> Keys);
