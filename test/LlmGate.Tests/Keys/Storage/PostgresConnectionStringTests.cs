using LlmGate.Keys;
using Npgsql;

namespace LlmGate.Tests.Keys.Storage;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void FromUrl_LiteLlmUrl_EveryPartMapped()
    {
        var builder = Parse("postgresql://llm%40admin:p%40ss%3Aw%2Frd@db.example.com:6543/lite%20llm?sslmode=verify-full&connection_limit=20&pool_timeout=7&schema=gate&pgbouncer=true");

        Assert.Equal(("db.example.com", 6543, "lite llm"), (builder.Host, builder.Port, builder.Database));
        Assert.Equal(("llm@admin", "p@ss:w/rd"), (builder.Username, builder.Password));
        Assert.Equal((SslMode.VerifyFull, 20, 7, "gate"), (builder.SslMode, builder.MaxPoolSize, builder.Timeout, builder.SearchPath));
    }

    [Fact]
    public void FromUrl_PostgresSchemeNoPortNoQuery_DefaultPort()
    {
        var builder = Parse("postgres://user:pw@localhost/litellm");

        Assert.Equal(("localhost", 5432, "litellm", "user", "pw"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal(new NpgsqlConnectionStringBuilder().SslMode, builder.SslMode);
    }

    [Fact]
    public void FromUrl_UnencodedAtInPassword_SplitAtTheLastAt()
    {
        var builder = Parse("postgresql://user:p@ss@127.0.0.1:5441/db");

        Assert.Equal(("p@ss", "127.0.0.1", 5441), (builder.Password, builder.Host, builder.Port));
    }

    [Fact]
    public void FromUrl_Ipv6Host_PortRead()
    {
        var builder = Parse("postgresql://u@[::1]:5999/db");

        Assert.Equal(("::1", 5999, "u"), (builder.Host, builder.Port, builder.Username));
        Assert.Null(builder.Password);
    }

    [Fact]
    public void FromUrl_KeywordForm_UsedAsIs()
    {
        const string keywords = "Host=db;Port=5433;Database=x;Username=u;Password=secret";

        Assert.Equal(keywords, PostgresConnectionString.FromUrl(keywords));
    }

    [Theory]
    [InlineData("postgresql://u:TopSecret1@db:notaport/keys")]
    [InlineData("postgresql://u:TopSecret1@db:5432/keys?sslmode=sometimes")]
    [InlineData("postgresql://u:TopSecret1@db:5432/keys?connection_limit=many")]
    [InlineData("postgresql://u:TopSecret1@/keys")]
    [InlineData("mysql://u:TopSecret1@db:5432/keys")]
    [InlineData("Host=db;Pasword=TopSecret1")]
    public void FromUrl_Unreadable_KeyStoreExceptionWithoutThePassword(string url)
    {
        var exception = Assert.Throws<KeyStoreException>(() => PostgresConnectionString.FromUrl(url));

        Assert.DoesNotContain("TopSecret1", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromUrl_BadSslMode_MessageNamesHostPortAndDatabase()
    {
        var exception = Assert.Throws<KeyStoreException>(() => PostgresConnectionString.FromUrl("postgresql://u:pw@db:5432/keys?sslmode=sometimes"));

        Assert.Contains("db:5432/keys", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_HostPortDatabaseOnly()
    {
        var description = PostgresConnectionString.Describe(PostgresConnectionString.FromUrl("postgresql://admin:hunter2@db:5439/keys"));

        Assert.Equal("db:5439/keys", description);
    }

    private static NpgsqlConnectionStringBuilder Parse(string url) => new(PostgresConnectionString.FromUrl(url));
}
