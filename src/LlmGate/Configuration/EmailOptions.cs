namespace LlmGate.Configuration;

/// <summary>
/// <c>email</c>: LiteLLM's SMTP env (<c>SMTP_HOST</c>, <c>SMTP_PORT</c>, <c>SMTP_USERNAME</c>, <c>SMTP_PASSWORD</c>,
/// <c>SMTP_SENDER_EMAIL</c>, <c>SMTP_TLS</c>) and the recipients in <c>llmgate_settings.alerting.email.recipients</c>.
/// The password is a secret, and addresses are personal data: neither is logged.
/// </summary>
internal sealed record EmailOptions
{
    public required string Host { get; init; }

    /// <summary>587 unless <c>SMTP_PORT</c> says otherwise.</summary>
    public int Port { get; init; } = 587;

    public string? Username { get; init; }

    public string? Password { get; init; }

    public required string Sender { get; init; }

    /// <summary><c>SMTP_TLS</c> (default true, as LiteLLM): STARTTLS, or TLS from the first byte on port 465. False: plain text.</summary>
    public bool Tls { get; init; } = true;

    public required IReadOnlyList<string> Recipients { get; init; }
}
