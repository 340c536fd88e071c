namespace LlmGate.Keys;

/// <summary>
/// <c>GET /user/info</c>: the user (null when only keys name it: LiteLLM's auto-generated <c>user_id</c>s have no row),
/// its keys, and the teams those keys belong to.
/// </summary>
internal sealed record UserInfoResponse(string UserId, UserView? UserInfo, IReadOnlyList<KeyView> Keys, IReadOnlyList<TeamView> Teams);
