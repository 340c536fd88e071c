using System.Globalization;
using Npgsql;

namespace LlmGate.Keys;

/// <summary>
/// LiteLLM's <c>DATABASE_URL</c> (<c>postgresql://user:pass@host:port/db?sslmode=require</c>, Prisma's form, which
/// Npgsql does not read) as an Npgsql connection string. No message here ever carries the password or the user:
/// errors name host, port and database only.
/// </summary>
internal static class PostgresConnectionString
{
    private const int DefaultPort = 5432;

    /// <summary>
    /// Converts a <c>postgresql://</c> or <c>postgres://</c> URL; a string in Npgsql's keyword form
    /// (<c>Host=...;</c>) is returned as it is. Query keys: <c>sslmode</c>, <c>connection_limit</c> (Maximum Pool
    /// Size), <c>pool_timeout</c> (Timeout, seconds), <c>schema</c> (Search Path); others, Prisma's or libpq's, are ignored.
    /// </summary>
    /// <exception cref="KeyStoreException">The URL cannot be read.</exception>
    public static string FromUrl(string databaseUrl)
    {
        ArgumentNullException.ThrowIfNull(databaseUrl);
        var text = databaseUrl.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return Validated(text);
        }

        var scheme = text[..schemeEnd];
        if (!scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new KeyStoreException($"database_url must start with postgresql:// or postgres://, not {scheme}://");
        }

        var rest = text[(schemeEnd + 3)..];

        // The user info ends at the last '@': a password with an unencoded '@' or '/' still reads as one.
        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart < 0 ? "" : rest[(queryStart + 1)..];
        rest = queryStart < 0 ? rest : rest[..queryStart];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostPort = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? "" : Uri.UnescapeDataString(rest[(slash + 1)..]);
        var (host, port) = SplitHostPort(hostPort, database);

        var builder = new NpgsqlConnectionStringBuilder { Host = host, Port = port };
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (!string.IsNullOrEmpty(user))
        {
            builder.Username = user;
        }

        if (password is not null)
        {
            builder.Password = password;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = ParseSslMode(value, host, port, database);
                    break;
                case "connection_limit":
                    builder.MaxPoolSize = PositiveNumber(key, value, host, port, database);
                    break;
                case "pool_timeout":
                    builder.Timeout = PositiveNumber(key, value, host, port, database);
                    break;
                case "schema":
                    builder.SearchPath = value;
                    break;
                default:
                    break; // Prisma's and libpq's other options mean nothing to Npgsql
            }
        }

        return builder.ConnectionString;
    }

    /// <summary><c>host:port/database</c> of a connection string, for messages.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return Where(builder.Host ?? "localhost", builder.Port, builder.Database ?? builder.Username ?? "");
    }

    private static string Validated(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return connectionString;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // Not the provider's message: it may quote a value, and a value may be the password.
            throw new KeyStoreException("database_url is neither a postgresql:// URL nor a valid Npgsql connection string (Host=...;Database=...)");
        }
    }

    private static (string Host, int Port) SplitHostPort(string hostPort, string database)
    {
        if (hostPort.Length == 0)
        {
            throw new KeyStoreException($"database_url names no host (database {database})");
        }

        // [::1]:5432
        var closing = hostPort.StartsWith('[') ? hostPort.IndexOf(']', StringComparison.Ordinal) : -1;
        var colon = closing > 0 ? hostPort.IndexOf(':', closing) : hostPort.Contains(',', StringComparison.Ordinal) ? -1 : hostPort.LastIndexOf(':');
        var host = colon < 0 ? hostPort : hostPort[..colon];
        host = host.Trim('[', ']');
        if (colon < 0)
        {
            return (host, DefaultPort);
        }

        var portText = hostPort[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new KeyStoreException($"database_url's port is not a port number (host {host}, database {database})");
        }

        return (host, port);
    }

    private static SslMode ParseSslMode(string value, string host, int port, string database) =>
        value.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "disable" => SslMode.Disable,
            "allow" => SslMode.Allow,
            "prefer" => SslMode.Prefer,
            "require" => SslMode.Require,
            "verifyca" => SslMode.VerifyCA,
            "verifyfull" => SslMode.VerifyFull,
            _ => throw new KeyStoreException($"database_url's sslmode {value} is not one of disable, allow, prefer, require, verify-ca, verify-full ({Where(host, port, database)})"),
        };

    private static int PositiveNumber(string key, string value, string host, int port, string database) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new KeyStoreException($"database_url's {key} is not a positive whole number ({Where(host, port, database)})");

    private static string Where(string host, int port, string database) =>
        string.Create(CultureInfo.InvariantCulture, $"{host}:{port}/{database}");
}
