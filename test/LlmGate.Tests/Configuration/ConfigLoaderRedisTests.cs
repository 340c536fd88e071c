using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderRedisTests
{
    private const string Password = "s3cret-Redis-pw!";

    [Fact]
    public void LoadText_NoRedisAnywhere_StateStaysInProcess() =>
        Assert.Null(Load("model_list: []\n").Config!.Redis);

    [Fact]
    public void LoadText_RouterSettingsHostPortPassword_AreRead()
    {
        var result = Load("""
            model_list: []
            router_settings:
              redis_host: redis.internal
              redis_port: "6380"
              redis_password: os.environ/REDIS_PW
            """, ("REDIS_PW", Password));

        Assert.Equal(new RedisOptions { Host = "redis.internal", Port = 6380, Password = Password }, result.Config!.Redis);
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("redis", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_RedisUrl_WinsOverHostAndReadsTlsUserPasswordAndDatabase()
    {
        var redis = Load("""
            model_list: []
            router_settings:
              redis_url: os.environ/REDIS_URL
              redis_host: ignored
            """, ("REDIS_URL", "rediss://gate:p%40ss@cache.example:6390/3")).Config!.Redis!;

        Assert.Equal(("cache.example", 6390, "gate", "p@ss", true, 3), (redis.Host, redis.Port, redis.User, redis.Password, redis.UseTls, redis.Database));
    }

    [Fact]
    public void LoadText_OnlyEnvironment_ReadsRedisHostPortPassword()
    {
        var redis = Load("model_list: []\n", ("REDIS_HOST", "10.0.0.5"), ("REDIS_PORT", "6390"), ("REDIS_PASSWORD", Password)).Config!.Redis!;

        Assert.Equal(("10.0.0.5", 6390, Password), (redis.Host, redis.Port, redis.Password));
    }

    [Fact]
    public void LoadText_EnvironmentRedisUrl_WinsOverEnvironmentHost()
    {
        var redis = Load("model_list: []\n", ("REDIS_URL", "redis://:pw@from-url:7000"), ("REDIS_HOST", "from-host")).Config!.Redis!;

        Assert.Equal(("from-url", 7000, (string?)null, "pw", false), (redis.Host, redis.Port, redis.User, redis.Password, redis.UseTls));
    }

    [Fact]
    public void LoadText_CacheParamsOfARedisCache_AreTheFallbackAndOtherKeysAreNotImplemented()
    {
        var result = Load("""
            model_list: []
            litellm_settings:
              cache: true
              cache_params:
                type: redis
                host: cache-host
                port: 6381
                ttl: 600
            """);

        Assert.Equal(new RedisOptions { Host = "cache-host", Port = 6381 }, result.Config!.Redis);
        var warning = Assert.Single(result.Warnings, w => w.Message.StartsWith("not implemented", StringComparison.Ordinal));
        Assert.Equal("not implemented yet, ignored: litellm_settings.cache (line 3), litellm_settings.cache_params.ttl (line 8)", warning.Message);
    }

    [Fact]
    public void LoadText_CacheParamsOfALocalCache_AreNotARedisServer() =>
        Assert.Null(Load("model_list: []\nlitellm_settings:\n  cache_params: {type: local, host: somewhere}\n").Config!.Redis);

    [Theory]
    [InlineData("redis_url: http://redis:6379", "router_settings.redis_url")]
    [InlineData("redis_url: redis://redis:6379/99", "router_settings.redis_url")]
    [InlineData("redis_host: redis\n  redis_port: 70000", "router_settings.redis_port")]
    public void LoadText_InvalidRedisAddress_IsAnErrorNamingTheKey(string settings, string path)
    {
        var result = Load($"model_list: []\nrouter_settings:\n  {settings}\n");

        Assert.Equal(path, Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void LoadText_InvalidUrlWithPassword_NeverEchoesIt()
    {
        var result = Load("model_list: []\n", ("REDIS_URL", $"http://user:{Password}@redis:6379"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("env REDIS_URL", error.Path);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RedisOptions_ToString_LeavesThePasswordOut()
    {
        var options = new RedisOptions { Host = "redis", Password = Password, UseTls = true };

        Assert.Equal("rediss://redis:6379/0", options.ToString());
        Assert.DoesNotContain(Password, $"{options}", StringComparison.Ordinal);
    }

    private static ConfigLoadResult Load(string yaml, params (string Name, string Value)[] environment) =>
        ConfigLoader.LoadText(yaml, "config.yaml", TestEnvironment.With(environment));
}
