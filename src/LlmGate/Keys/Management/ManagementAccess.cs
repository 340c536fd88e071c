namespace LlmGate.Keys;

/// <summary>Who may call a management route.</summary>
internal enum ManagementAccess
{
    /// <summary>The master key only (LiteLLM's proxy admin).</summary>
    Admin,

    /// <summary>The master key, or a virtual key asking about itself (<c>GET /key/info</c>).</summary>
    AdminOrOwnKey,

    /// <summary>Anyone the auth middleware let in (<c>/model/info</c>, an info route in LiteLLM).</summary>
    AnyCaller,
}
