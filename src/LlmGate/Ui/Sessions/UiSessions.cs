using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace LlmGate.Ui.Sessions;

/// <summary>
/// Issues and checks the console's session cookie: a ticket (id, who, expiry) protected by Data Protection, whose keys
/// live under the data directory so sessions survive a restart. Logout revokes the ticket's id until it would have
/// expired anyway; the revocation list is bounded.
/// </summary>
internal sealed class UiSessions(IDataProtectionProvider protection, UiOptions options, TimeProvider time)
{
    public const string CookieName = "llmgate_session";

    /// <summary>At most this many revoked sessions are remembered; past it, the one expiring soonest is forgotten first.</summary>
    public const int MaxRevoked = 10_000;

    private readonly IDataProtector _protector = protection.CreateProtector("LlmGate.Ui.Session.v1");
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);
    private readonly Lock _revokeGate = new();

    public TimeSpan Lifetime => options.SessionLifetime;

    public (string Value, UiSessionTicket Ticket) Issue(string who)
    {
        var ticket = new UiSessionTicket(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), who, time.GetUtcNow() + options.SessionLifetime);
        var payload = string.Join('\n', ticket.Id, ticket.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ticket.Who);
        return (_protector.Protect(payload), ticket);
    }

    /// <summary>The ticket when <paramref name="value"/> is a cookie this gateway issued, not expired and not revoked.</summary>
    public UiSessionTicket? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null; // tampered, or protected by a key this gateway no longer has
        }

        var parts = payload.Split('\n', 3);
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var ticket = new UiSessionTicket(parts[0], parts[2], DateTimeOffset.FromUnixTimeSeconds(expires));
        return ticket.ExpiresAt > time.GetUtcNow() && !_revoked.ContainsKey(ticket.Id) ? ticket : null;
    }

    public void Revoke(UiSessionTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        lock (_revokeGate)
        {
            if (_revoked.Count >= MaxRevoked)
            {
                var now = time.GetUtcNow();
                foreach (var (id, expiry) in _revoked)
                {
                    if (expiry <= now)
                    {
                        _revoked.TryRemove(id, out _);
                    }
                }

                while (_revoked.Count >= MaxRevoked)
                {
                    _revoked.TryRemove(_revoked.MinBy(r => r.Value).Key, out _);
                }
            }

            _revoked[ticket.Id] = ticket.ExpiresAt;
        }
    }
}
