using System.Net.Sockets;
using LlmGate.Bench.Load;

namespace LlmGate.Bench.Soak;

/// <summary>
/// One closed-loop soak client: sends its kind's request, classifies the outcome, waits its think time, and again.
/// A keep-alive connection is reused until an answer closes it or an error breaks it; a disconnecting client opens a
/// fresh connection per stream and closes it after the first chunk.
/// </summary>
internal sealed class SoakWorker(SoakKind kind, LoadRequest request, SoakTally tally, TimeSpan think)
{
    // A disconnecting client costs two fresh connections (its own, and the gateway's to the upstream, which is
    // dropped with it), each leaving a TIME_WAIT socket for a minute: paced so the run stays far from running out of
    // loopback ports, at a few dozen a second.
    private const int DisconnectThinkFactor = 20;

    /// <summary>An answer not complete after this long is unexpected (the slowest expected one, a timeout, takes about 1 s).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private LoadConnection? _connection;

    public SoakKind Kind => kind;

    public async Task RunAsync(long maxRequests, CancellationToken stop)
    {
        for (long sent = 0; sent < maxRequests && !stop.IsCancellationRequested; sent++)
        {
            try
            {
                tally.Record(kind, kind == SoakKind.Disconnect ? await DisconnectAsync() : await ExchangeAsync());
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or SocketException or ObjectDisposedException or TimeoutException)
            {
                Close();
                tally.Record(kind, SoakOutcome.Unexpected($"{SoakOutcome.Name(kind)}: {Describe(exception)}"));
            }

            try
            {
                await Task.Delay(kind == SoakKind.Disconnect ? think * DisconnectThinkFactor : think, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Close();
    }

    private async Task<SoakOutcome> ExchangeAsync()
    {
        _connection ??= await LoadConnection.ConnectAsync(request.EndPoint, CancellationToken.None).WaitAsync(RequestTimeout);
        var result = await _connection.ExchangeAsync(request.Bytes).AsTask().WaitAsync(RequestTimeout);
        if (!result.KeepAlive)
        {
            Close();
        }

        return SoakOutcome.Classify(kind, result.Status, result.EndsWithDone);
    }

    // The head and first event of a stream the upstream keeps open, then the client goes away: the gateway must drop
    // its upstream request and every resource of the call.
    private async Task<SoakOutcome> DisconnectAsync()
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var stream = await IdleStreamConnection.OpenAsync(request.EndPoint, request.Bytes, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException("no first chunk");
        }

        return SoakOutcome.Expected("closed after the first chunk");
    }

    private void Close()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private static string Describe(Exception exception) => exception switch
    {
        SocketException socket => $"socket {socket.SocketErrorCode}",
        EndOfStreamException => "connection closed mid-response",
        TimeoutException => $"no answer within {RequestTimeout.TotalSeconds:0} s",
        InvalidDataException invalid => invalid.Message.StartsWith("HTTP ", StringComparison.Ordinal) ? invalid.Message : "bad response: " + invalid.Message,
        _ => exception.GetType().Name,
    };
}
