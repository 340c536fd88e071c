using System.Text;
using LlmGate.Observability.Tracing;

namespace LlmGate.Tests.Observability.Tracing;

/// <summary>The langfuse callback is an OTLP trace exporter to Langfuse's endpoint with Basic auth from its two keys.</summary>
public sealed class LangfuseSettingsTests
{
    private const string PublicKey = "pk-lf-0123";
    private const string SecretKey = "sk-lf-secret-4567";

    private static LangfuseSettings? Read(out IReadOnlyList<string> problems, params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return LangfuseSettings.FromEnvironment(environment.GetValueOrDefault, out problems);
    }

    [Fact]
    public void FromEnvironment_KeysOnly_IsLangfuseCloudWithBasicAuth()
    {
        var settings = Read(out var problems, ("LANGFUSE_PUBLIC_KEY", PublicKey), ("LANGFUSE_SECRET_KEY", SecretKey));

        Assert.Empty(problems);
        Assert.Equal("https://cloud.langfuse.com/api/public/otel/v1/traces", settings!.TracesEndpoint.ToString());
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(PublicKey + ":" + SecretKey)), settings.Authorization);
        Assert.Equal("Authorization=" + settings.Authorization, settings.Headers);
    }

    [Theory]
    [InlineData("http://langfuse.internal:3000", "http://langfuse.internal:3000/api/public/otel/v1/traces")]
    [InlineData("https://us.cloud.langfuse.com/", "https://us.cloud.langfuse.com/api/public/otel/v1/traces")]
    [InlineData("langfuse.example.test", "https://langfuse.example.test/api/public/otel/v1/traces")]
    public void FromEnvironment_Host_GivesTheOtlpTracesPath(string host, string expected)
    {
        var settings = Read(out _, ("LANGFUSE_HOST", host), ("LANGFUSE_PUBLIC_KEY", PublicKey), ("LANGFUSE_SECRET_KEY", SecretKey));

        Assert.Equal(expected, settings!.TracesEndpoint.ToString());
    }

    [Fact]
    public void FromEnvironment_OtelHost_WinsOverHost()
    {
        var settings = Read(out _, ("LANGFUSE_OTEL_HOST", "http://otel-only:4000"), ("LANGFUSE_HOST", "http://ui:3000"),
            ("LANGFUSE_PUBLIC_KEY", PublicKey), ("LANGFUSE_SECRET_KEY", SecretKey));

        Assert.Equal("otel-only", settings!.TracesEndpoint.Host);
    }

    [Fact]
    public void FromEnvironment_KeysMissing_NoSettingsAndTheMissingNamesOnly()
    {
        Assert.Null(Read(out var both));
        Assert.Null(Read(out var secretOnly, ("LANGFUSE_SECRET_KEY", SecretKey)));

        Assert.Equal(["LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY"], both);
        Assert.Equal(["LANGFUSE_PUBLIC_KEY"], secretOnly);
        Assert.DoesNotContain(secretOnly, p => p.Contains(SecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_DoesNotShowTheCredentials()
    {
        var settings = Read(out _, ("LANGFUSE_PUBLIC_KEY", PublicKey), ("LANGFUSE_SECRET_KEY", SecretKey))!;

        Assert.DoesNotContain(settings.Authorization["Basic ".Length..], settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("api/public/otel", settings.ToString(), StringComparison.Ordinal);
    }
}
