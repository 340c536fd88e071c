using System.Net.Sockets;
using StackExchange.Redis;

namespace LlmGate.Testing;

/// <summary>
/// The Redis server the Redis tests share, named by env <c>LLMGATE_TEST_REDIS</c> (<c>host:port</c>, e.g.
/// <c>127.0.0.1:6391</c>). Each test class takes its own database number so tests running in parallel never meet.
/// </summary>
public static class TestRedis
{
    public const string Variable = "LLMGATE_TEST_REDIS";

    private static readonly Lazy<string?> LazySkipReason = new(FindSkipReason);

    public static string? Address => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } address ? address : null;

    /// <summary>Why the Redis tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => LazySkipReason.Value;

    /// <summary>Empties database <paramref name="database"/> and returns its <c>redis://</c> URL.</summary>
    public static async Task<string> FreshDatabaseUrlAsync(int database)
    {
        var address = Address ?? throw new InvalidOperationException($"{Variable} is not set");
        await FlushAsync(address, database);
        return $"redis://{address}/{database}";
    }

    public static async Task FlushAsync(string address, int database)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"{address},allowAdmin=true,connectTimeout=2000");
        await connection.GetServers()[0].FlushDatabaseAsync(database);
    }

    /// <summary>True when something accepts TCP connections at <paramref name="port"/> on 127.0.0.1.</summary>
    public static bool IsListening(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? FindSkipReason()
    {
        if (Address is not { } address)
        {
            return $"{Variable} is not set: start a redis-server (e.g. redis-server --port 6391 --save '' --appendonly no --daemonize yes) and export {Variable}=127.0.0.1:6391 to run the Redis tests";
        }

        var colon = address.LastIndexOf(':');
        var host = colon > 0 ? address[..colon] : address;
        var port = colon > 0 && int.TryParse(address[(colon + 1)..], out var p) ? p : 6379;
        return IsListening(host, port) ? null : $"{Variable}={address} is not reachable: the Redis tests need a running redis-server there";
    }
}
