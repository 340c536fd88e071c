using MimeKit;

namespace LlmGate.Testing;

/// <summary>One message the <see cref="FakeSmtpServer"/> accepted: the envelope (MAIL FROM, RCPT TO), the login used, and the parsed message.</summary>
public sealed record FakeSmtpServerMessage(string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, string? User, MimeMessage Message);
