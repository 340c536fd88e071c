namespace LlmGate.Tests.Configuration;

/// <summary>Environment functions for config tests.</summary>
internal static class TestEnvironment
{
    public static readonly Func<string, string?> Empty = _ => null;

    public static Func<string, string?> With(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    /// <summary>A plausible value for any variable a real config names: URLs for endpoints, models for model names, 32 characters otherwise.</summary>
    public static string? Plausible(string name)
    {
        if (name == "REDIS_URL")
        {
            return "redis://redis.test:6379/0";
        }

        if (name == "REDIS_HOST")
        {
            return "redis.test";
        }

        if (name.Contains("BASE", StringComparison.Ordinal) || name.Contains("URL", StringComparison.Ordinal)
            || name.Contains("ENDPOINT", StringComparison.Ordinal) || name.Contains("HOST", StringComparison.Ordinal))
        {
            return "http://upstream.test:8000/v1";
        }

        if (name.EndsWith("_MODEL", StringComparison.Ordinal) || name is "MODEL_NAME" or "MODEL_PATH")
        {
            return "openai/test-model";
        }

        if (name.EndsWith("EMAIL", StringComparison.Ordinal))
        {
            return "oncall@example.com";
        }

        if (name == "SMTP_TLS")
        {
            return "true";
        }

        if (name.EndsWith("FREQUENCY", StringComparison.Ordinal))
        {
            return "43200";
        }

        if (name.EndsWith("PORT", StringComparison.Ordinal) || name.EndsWith("TTL", StringComparison.Ordinal))
        {
            return "6379";
        }

        if (name.Contains("VERSION", StringComparison.Ordinal))
        {
            return "2024-10-21";
        }

        return new string('k', 32);
    }
}
