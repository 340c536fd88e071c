using System.Globalization;
using LlmGate.Configuration;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlmGate.Redis;

/// <summary>
/// The one connection to Redis, and whether state is shared right now. Short timeouts and no abort on a failed
/// connect: an unreachable Redis makes this replica fall back to local state, never fail requests.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(2000);

    private readonly RedisOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lock _stateLock = new();
    private ConnectionMultiplexer? _multiplexer;
    private bool _shared;
    private bool _hadOutage;
    private DateTimeOffset? _unavailableSince;
    private int _replicas;

    public RedisConnection(RedisOptions options, TimeProvider time, ILogger<RedisConnection> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        ReplicaId = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");
        _unavailableSince = time.GetUtcNow();
    }

    public string Endpoint => _options.Endpoint;

    public string ReplicaId { get; }

    /// <summary>True while the last round trip succeeded: counts, incidents and cooldowns are the cluster's.</summary>
    public bool IsShared
    {
        get
        {
            lock (_stateLock)
            {
                return _shared;
            }
        }
    }

    /// <summary>Replicas that heartbeated recently (this one included), as of the last round trip; null when unknown.</summary>
    public int? Replicas
    {
        get
        {
            lock (_stateLock)
            {
                return _shared ? _replicas : null;
            }
        }
    }

    public DateTimeOffset? UnavailableSince
    {
        get
        {
            lock (_stateLock)
            {
                return _unavailableSince;
            }
        }
    }

    /// <summary>Publish and subscribe, once the client exists (it re-subscribes by itself after a reconnect); else null.</summary>
    public ISubscriber? Subscriber => _multiplexer?.GetSubscriber();

    /// <summary>The database when connected, else null (callers fall back to local state).</summary>
    public IDatabase? Database => _multiplexer is { IsConnected: true } multiplexer ? multiplexer.GetDatabase(_options.Database) : null;

    public static ConfigurationOptions ClientOptions(RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds,
            SyncTimeout = (int)options.CommandTimeout.TotalMilliseconds,
            AsyncTimeout = (int)options.CommandTimeout.TotalMilliseconds,
            ConnectRetry = 1,
            KeepAlive = 5,
            ReconnectRetryPolicy = new LinearRetry(500),
            Ssl = options.UseTls,
            User = options.User,
            Password = options.Password,
            DefaultDatabase = options.Database,
            ClientName = "llmgate",
        };
        client.EndPoints.Add(options.Host, options.Port);
        return client;
    }

    /// <summary>Connects once; the client then reconnects by itself. A failure here only leaves state local.</summary>
    public async Task ConnectAsync()
    {
        if (_multiplexer is null)
        {
            _multiplexer = await ConnectionMultiplexer.ConnectAsync(ClientOptions(_options));
            RedisLog.Sharing(_logger, Endpoint, ReplicaId);
        }
    }

    /// <summary>A round trip succeeded; true when this ends an outage (or is the first).</summary>
    public bool ReportSuccess(int replicas)
    {
        DateTimeOffset? since;
        lock (_stateLock)
        {
            _replicas = replicas;
            if (_shared)
            {
                return false;
            }

            _shared = true;
            since = _unavailableSince;
            _unavailableSince = null;
        }

        if (since is { } s && _hadOutage)
        {
            RedisLog.Recovered(_logger, Endpoint, _time.GetUtcNow() - s);
        }

        return true;
    }

    /// <summary>A round trip failed: local state from now on; logged once per outage.</summary>
    public void ReportFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        lock (_stateLock)
        {
            if (!_shared && _hadOutage)
            {
                return;
            }

            _shared = false;
            _hadOutage = true;
            _unavailableSince ??= _time.GetUtcNow();
        }

        RedisLog.Unavailable(_logger, Endpoint, Describe(exception));
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            multiplexer.Dispose();
        }
    }

    // The client's messages can carry the configuration string; only the kind of failure is logged.
    private static string Describe(Exception exception) => exception switch
    {
        RedisConnectionException connection => $"connection failed: {connection.FailureType}",
        RedisTimeoutException => "timed out",
        TimeoutException => "timed out",
        RedisServerException => "server error",
        _ => exception.GetType().Name,
    };
}
