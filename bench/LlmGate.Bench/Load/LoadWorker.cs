using System.Diagnostics;

namespace LlmGate.Bench.Load;

/// <summary>One closed-loop client: a connection and its request loop. The watchdog reads its state to time out a stuck request.</summary>
internal sealed class LoadWorker(LoadRun run)
{
    private readonly Lock _lock = new();
    private LoadConnection? _connection;
    private long _requestStart;
    private bool _timedOut;

    public async Task RunAsync(CancellationToken stop)
    {
        var request = run.Request;
        while (!stop.IsCancellationRequested && run.TryIssue())
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                var connection = _connection ?? await ConnectAsync(stop);
                Volatile.Write(ref _requestStart, start);
                var result = await connection.ExchangeAsync(request.Bytes);
                Volatile.Write(ref _requestStart, 0);
                run.RecordResponse(start, Stopwatch.GetTimestamp(), result);
                if (!result.KeepAlive)
                {
                    CloseConnection();
                }
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
            {
                Volatile.Write(ref _requestStart, 0);
                var timedOut = CloseConnection();
                if (stop.IsCancellationRequested && exception is OperationCanceledException)
                {
                    return;
                }

                run.RecordError(Stopwatch.GetTimestamp(), timedOut ? "timeout" : Describe(exception));
                await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            }
        }

        CloseConnection();
    }

    /// <summary>Closes the connection if its request has waited longer than <paramref name="timeoutTicks"/>; the loop then counts a timeout.</summary>
    public void AbortIfOlderThan(long now, long timeoutTicks)
    {
        var started = Volatile.Read(ref _requestStart);
        if (started != 0 && now - started > timeoutTicks)
        {
            Abort(timedOut: true);
        }
    }

    public void Abort(bool timedOut)
    {
        lock (_lock)
        {
            _timedOut |= timedOut;
            _connection?.Dispose();
        }
    }

    private async Task<LoadConnection> ConnectAsync(CancellationToken stop)
    {
        var connection = await LoadConnection.ConnectAsync(run.Request.EndPoint, stop);
        lock (_lock)
        {
            _connection = connection;
            _timedOut = false;
        }

        return connection;
    }

    private bool CloseConnection()
    {
        lock (_lock)
        {
            _connection?.Dispose();
            _connection = null;
            var timedOut = _timedOut;
            _timedOut = false;
            return timedOut;
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        System.Net.Sockets.SocketException socket => $"socket: {socket.SocketErrorCode}",
        EndOfStreamException => "connection closed mid-response",
        InvalidDataException invalid => "bad response: " + invalid.Message,
        _ => exception.GetType().Name,
    };
}
