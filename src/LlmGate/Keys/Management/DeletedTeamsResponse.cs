namespace LlmGate.Keys;

/// <summary><c>POST /team/delete</c>: the ids of the teams deleted.</summary>
internal sealed record DeletedTeamsResponse(IReadOnlyList<string> DeletedTeams);
