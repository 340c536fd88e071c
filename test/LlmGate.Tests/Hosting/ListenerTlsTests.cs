using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LlmGate.Configuration;
using LlmGate.Hosting;
using LlmGate.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.Tests.Hosting;

/// <summary>HTTPS on the listener (issue 19): LiteLLM's certificate flags, HTTP/2 by ALPN, rotated files picked up.</summary>
public sealed class ListenerTlsTests : IAsyncLifetime
{
    private const string MasterKey = "sk-tls-master";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmgate-tls-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly X509Certificate2 _authority;
    private readonly ECDsa _authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private FakeUpstream _upstream = null!;
    private WebApplication _gateway = null!;
    private Uri _baseAddress = null!;

    public ListenerTlsTests()
    {
        var request = new CertificateRequest("CN=LlmGate test CA", _authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private string CertificatePath => Path.Combine(_directory, "tls.crt");

    private string KeyPath => Path.Combine(_directory, "tls.key");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        WriteLeaf("first");
        _upstream = await FakeUpstream.StartAsync();
        var loaded = ConfigLoader.LoadText($"""
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: openai/gpt-4o
                  api_base: {_upstream.ApiBase}
                  api_key: {FakeUpstream.DefaultApiKey}
            general_settings:
              master_key: {MasterKey}
            """, "tls.yaml", _ => null);
        _gateway = GatewayApplication.Build(
            loaded,
            new GatewayHostOptions { Host = "127.0.0.1", Port = 0, DataDirectory = Path.Combine(_directory, "data"), TlsCertificatePath = CertificatePath, TlsKeyPath = KeyPath },
            _ => null,
            services => services.AddSingleton<TimeProvider>(_time));
        await _gateway.StartAsync();
        _baseAddress = new Uri(_gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        // Stopped before disposed: a host left running would hold the test process at exit (the console lifetime waits for it).
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        _authority.Dispose();
        _authorityKey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task OpenAiSdk_OverHttpsWithTheTestAuthority_GetsItsAnswer()
    {
        Assert.Equal("https", _baseAddress.Scheme);
        using var http = new HttpClient(Handler(_ => { }));
        var chat = new ChatClient("gpt-4o", new ApiKeyCredential(MasterKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(_baseAddress, "v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

        ChatCompletion completion = await chat.CompleteChatAsync(["Hi"]);

        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
    }

    [Fact]
    public async Task Client_AskingForHttp2_GetsHttp2ByAlpn()
    {
        using var http = new HttpClient(Handler(_ => { })) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.GetAsync(new Uri(_baseAddress, "health/liveliness"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    [Fact]
    public async Task CertificateFiles_Rotated_NextHandshakeAfterTheCheckIntervalServesTheNewOne()
    {
        Assert.Equal("CN=first", (await PresentedCertificateAsync()).Subject);

        WriteLeaf("second");
        // Within the check interval the certificate in use stays: files are not read on every handshake.
        Assert.Equal("CN=first", (await PresentedCertificateAsync()).Subject);
        _time.Advance(ListenerCertificate.CheckInterval);

        Assert.Equal("CN=second", (await PresentedCertificateAsync()).Subject);
    }

    [Fact]
    public async Task CertificateFiles_RotatedToAKeyThatDoesNotMatch_KeepServingTheOldOne()
    {
        using (var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(KeyPath, otherKey.ExportPkcs8PrivateKeyPem());
        }

        _time.Advance(ListenerCertificate.CheckInterval);

        Assert.Equal("CN=first", (await PresentedCertificateAsync()).Subject);
    }

    [Fact]
    public void Build_CertificateFileMissing_StopsTheStartNamingTheFile()
    {
        var loaded = ConfigLoader.LoadText("model_list: []\n", "tls.yaml", _ => null);
        var missing = Path.Combine(_directory, "missing.crt");

        var exception = Assert.Throws<GatewayStartException>(() => GatewayApplication.Build(
            loaded,
            new GatewayHostOptions { Host = "127.0.0.1", Port = 0, DataDirectory = Path.Combine(_directory, "data2"), TlsCertificatePath = missing, TlsKeyPath = KeyPath },
            _ => null));

        Assert.Contains(missing, Assert.Single(exception.Problems), StringComparison.Ordinal);
        Assert.False(exception.InConfig); // the command line's files: the config is not blamed
    }

    private async Task<X509Certificate2> PresentedCertificateAsync()
    {
        X509Certificate2? presented = null;
        using var http = new HttpClient(Handler(certificate => presented = certificate));
        using var response = await http.GetAsync(new Uri(_baseAddress, "health/liveliness"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return presented!;
    }

    // A new connection per client, trusting only the test authority, as a client given its CA bundle would.
    private SocketsHttpHandler Handler(Action<X509Certificate2> seen) => new()
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(_authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                var leaf = new X509Certificate2(certificate!);
                seen(leaf);
                return chain.Build(leaf) && leaf.MatchesHostname("127.0.0.1");
            },
        },
    };

    private void WriteLeaf(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var leaf = request.Create(_authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
        File.WriteAllText(CertificatePath, leaf.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }
}
