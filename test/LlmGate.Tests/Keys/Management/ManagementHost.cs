using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Keys;
using LlmGate.Pricing;
using LlmGate.Providers;
using LlmGate.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Keys.Management;

/// <summary>
/// The management endpoints on a real Kestrel at 127.0.0.1:0 over the real <see cref="SqliteKeyStore"/> in a temp
/// directory (or, with <c>storeDown</c>, one whose file cannot be opened). Authentication is
/// the gateway's contract in small: the master key is <see cref="CallerKind.MasterKey"/>, a stored virtual key is
/// <see cref="CallerKind.VirtualKey"/> with its hash, anything else 401 before the endpoints run.
/// </summary>
internal sealed class ManagementHost : IAsyncDisposable
{
    public const string MasterKey = "sk-master-test-1234";

    private const string Yaml = """
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o
              api_key: sk-provider-secret-never-shown
              api_base: https://api.openai.example/v1
            model_info:
              id: dep-gpt4o
          - model_name: claude
            litellm_params:
              model: anthropic/claude-sonnet-4
              api_key: sk-ant-secret-never-shown
        """;

    private readonly WebApplication _app;
    private readonly DirectoryInfo _directory;

    private ManagementHost(WebApplication app, HttpClient client, SqliteKeyStore store, RecordingKeyChanges changes, FakeTimeProvider time, DirectoryInfo directory)
    {
        _app = app;
        _directory = directory;
        Client = client;
        Store = store;
        Changes = changes;
        Time = time;
    }

    public SqliteKeyStore Store { get; }

    public RecordingKeyChanges Changes { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public static async Task<ManagementHost> StartAsync(bool withMasterKey = true, KeyManagementOptions? options = null, bool storeDown = false)
    {
        var yaml = withMasterKey ? Yaml + $"\ngeneral_settings:\n  master_key: {MasterKey}\n" : Yaml;
        var config = ConfigLoader.LoadText(yaml, "test.yaml", _ => null).Config!;
        var changes = new RecordingKeyChanges();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var directory = Directory.CreateTempSubdirectory("llmgate-mgmt-");
        var path = SqliteKeyStore.PathIn(directory.FullName);
        if (storeDown)
        {
            // A regular file where the database's directory should be: every operation fails as an unreachable database.
            var notADirectory = Path.Combine(directory.FullName, "file");
            await File.WriteAllTextAsync(notADirectory, "");
            path = SqliteKeyStore.PathIn(notADirectory);
        }

        var store = new SqliteKeyStore(path, time, NullLogger<SqliteKeyStore>.Instance);
        if (!storeDown)
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKeyStore>(store);
        builder.Services.AddSingleton<IKeyChanges>(changes);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IModelPrices>(new FixedModelPrices(new ModelPrice
        {
            InputCostPerToken = 2.5e-6, OutputCostPerToken = 1e-5, MaxInputTokens = 128000, MaxOutputTokens = 16384,
        }));
        builder.Services.AddSingleton(new GatewaySnapshotSource(
            new GatewaySnapshot(config, new RouteTable(config.Deployments, ProviderAdapters.CreateDefault(TimeProvider.System), _ => null))));
        if (options is not null)
        {
            builder.Services.AddSingleton(options);
        }

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (!withMasterKey)
            {
                context.Features.Set(CallerIdentity.Anonymous);
                await next(context);
                return;
            }

            var presented = context.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal);
            if (presented == MasterKey)
            {
                context.Features.Set(CallerIdentity.MasterKey);
            }
            else if (presented.StartsWith("sk-", StringComparison.Ordinal)
                && await store.FindKeyAsync(KeyHashes.Of(presented), context.RequestAborted) is { } key)
            {
                context.Features.Set(new CallerIdentity(CallerKind.VirtualKey, key.Token, key.KeyAlias));
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapLlmGateKeyManagement();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ManagementHost(app, new HttpClient { BaseAddress = new Uri(address) }, store, changes, time, directory);
    }

    public async Task<Reply> PostAsync(string path, string json, string? bearer = MasterKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await SendAsync(request, bearer);
    }

    public async Task<Reply> GetAsync(string path, string? bearer = MasterKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request, bearer);
    }

    /// <summary>Generates a key as the master key and returns the answer's plaintext and hash.</summary>
    public async Task<(string Key, string Token, JsonElement Body)> GenerateAsync(string json = "{}")
    {
        var reply = await PostAsync("/key/generate", json);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return (reply.Json.GetProperty("key").GetString()!, reply.Json.GetProperty("token").GetString()!, reply.Json);
    }

    /// <summary>Every key in the store, newest first.</summary>
    public async Task<IReadOnlyList<VirtualKey>> KeysAsync() =>
        (await Store.ListKeysAsync(new KeyListQuery { Size = 100 }, CancellationToken.None)).Keys;

    /// <summary>A spend-log row written the way the spend writer writes it.</summary>
    public Task AddLogAsync(SpendLogRow row) =>
        Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [], [], [row]), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Store.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private async Task<Reply> SendAsync(HttpRequestMessage request, string? bearer)
    {
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text);
    }
}
