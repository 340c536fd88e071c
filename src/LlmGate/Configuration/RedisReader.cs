using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>
/// Reads the Redis address as LiteLLM does: a URL (<c>router_settings.redis_url</c>, else env <c>REDIS_URL</c>) wins;
/// otherwise host, port and password each come from <c>router_settings.redis_*</c>, then
/// <c>litellm_settings.cache_params</c>, then env <c>REDIS_HOST</c>, <c>REDIS_PORT</c>, <c>REDIS_PASSWORD</c>.
/// No host anywhere: null, and all state stays in the process. No message ever holds a value.
/// </summary>
internal static class RedisReader
{
    private const string Router = "router_settings";
    private const string Litellm = "litellm_settings";
    private const string CacheParams = "cache_params";
    private const string UrlForm = "a redis:// or rediss:// URL (redis://[[user]:password@]host[:port][/db])";

    /// <summary>True for the keys this reader handles, so the section's own reader leaves them alone.</summary>
    public static bool Reads(string section, string key) =>
        (section == Router && key is "redis_host" or "redis_port" or "redis_password" or "redis_url")
        || (section == Litellm && key == CacheParams);

    /// <summary>From the entries of <c>litellm_settings</c> and <c>router_settings</c> for which <see cref="Reads"/> is true.</summary>
    public static RedisOptions? Read(ConfigReader reader, IReadOnlyList<ConfigEntry> litellmEntries, IReadOnlyList<ConfigEntry> routerEntries)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(litellmEntries);
        var router = Values(reader, routerEntries, Router, key => key["redis_".Length..]);
        var cache = CacheValues(reader, litellmEntries);

        if (router.TryGetValue("url", out var configUrl))
        {
            return ParseUrl(reader, configUrl.Text, ConfigReader.Child(Router, "redis_url"), configUrl.Node);
        }

        if (reader.GetVariable("REDIS_URL") is { } envUrl)
        {
            return ParseUrl(reader, envUrl, "env REDIS_URL", null);
        }

        string? Pick(string key, string variable) =>
            router.TryGetValue(key, out var r) ? r.Text : cache.TryGetValue(key, out var c) ? c.Text : reader.GetVariable(variable);

        var host = Pick("host", "REDIS_HOST");
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var port = RedisOptions.DefaultPort;
        if (Pick("port", "REDIS_PORT") is { } portText)
        {
            var (path, node) = router.TryGetValue("port", out var r) ? (ConfigReader.Child(Router, "redis_port"), r.Node)
                : cache.TryGetValue("port", out var c) ? ($"{Litellm}.{CacheParams}.port", c.Node)
                : ("env REDIS_PORT", (YamlNode?)null);
            if (!int.TryParse(portText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                reader.Error(path, node, "must be a port number from 1 to 65535");
                return null;
            }
        }

        return new RedisOptions { Host = host.Trim(), Port = port, Password = NullIfEmpty(Pick("password", "REDIS_PASSWORD")) };
    }

    /// <summary>Parses <c>redis://</c> or <c>rediss://</c> URLs; the text is never echoed (it may hold a password).</summary>
    public static RedisOptions? ParseUrl(ConfigReader reader, string text, string path, YamlNode? node)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || uri.Host.Length == 0)
        {
            reader.Error(path, node, $"must be {UrlForm}");
            return null;
        }

        var database = 0;
        var dbText = uri.AbsolutePath.Trim('/');
        if (dbText.Length > 0 && (!int.TryParse(dbText, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 15))
        {
            reader.Error(path, node, $"names a database that is not a number from 0 to 15; must be {UrlForm}");
            return null;
        }

        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = NullIfEmpty(Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]));
            password = colon < 0 ? null : NullIfEmpty(Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
            if (password is null)
            {
                // redis://password@host is how redis-py reads a lone userinfo too.
                (user, password) = (null, user);
            }
        }

        return new RedisOptions
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? RedisOptions.DefaultPort : uri.Port,
            User = user,
            Password = password,
            UseTls = uri.Scheme == "rediss",
            Database = database,
        };
    }

    private static Dictionary<string, (string Text, YamlNode Node)> CacheValues(ConfigReader reader, IReadOnlyList<ConfigEntry> litellmEntries)
    {
        var path = ConfigReader.Child(Litellm, CacheParams);
        if (litellmEntries.Count == 0 || reader.Mapping(litellmEntries[0].Value, path) is not { } mapping)
        {
            return [];
        }

        var values = Values(reader, reader.Entries(mapping, path), path, key => key is "host" or "port" or "password" or "type" ? key : null);
        if (values.TryGetValue("type", out var type) && !string.Equals(type.Text.Trim(), "redis", StringComparison.OrdinalIgnoreCase))
        {
            return []; // a local or S3 cache: its host is not a Redis server
        }

        return values;
    }

    // The recognised keys, resolved; the rest of cache_params is reported as not implemented.
    private static Dictionary<string, (string Text, YamlNode Node)> Values(ConfigReader reader, IEnumerable<ConfigEntry> entries, string sectionPath, Func<string, string?> recognise)
    {
        var values = new Dictionary<string, (string, YamlNode)>(StringComparer.Ordinal);
        foreach (var (key, keyNode, value) in entries)
        {
            var path = ConfigReader.Child(sectionPath, key);
            if (recognise(key) is not { } name)
            {
                reader.AddNotImplemented(path, keyNode);
                continue;
            }

            if (reader.ReadString(value, path, ConfigSeverity.Warning, "the setting is ignored and the next source (or none) applies") is { } text)
            {
                values[name] = (text, value);
            }
        }

        return values;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
