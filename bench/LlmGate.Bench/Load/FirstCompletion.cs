using System.Diagnostics;
using System.Net.Sockets;
using LlmGate.Bench.Targets;

namespace LlmGate.Bench.Load;

/// <summary>
/// A target's start-up time: from the moment its process was started to the first request it answers in full, polled
/// with one request every <see cref="PollInterval"/> (a fresh connection each time, as soon as the port accepts one).
/// </summary>
internal static class FirstCompletion
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    public static async Task<TimeSpan> WaitAsync(ChildProcess process, LoadRequest request, TimeSpan timeout)
    {
        var deadline = process.StartedTimestamp + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        string last = "the port never accepted a connection";
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited before answering a request:\n{process.Output()}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{process.Name} answered no request within {timeout.TotalSeconds} s ({last}):\n{process.Output()}");
            }

            try
            {
                using var connection = await LoadConnection.ConnectAsync(request.EndPoint, CancellationToken.None);
                var result = await connection.ExchangeAsync(request.Bytes).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                var end = Stopwatch.GetTimestamp();
                if (result.Status is >= 200 and < 300 && (!request.Stream || result.EndsWithDone))
                {
                    return Stopwatch.GetElapsedTime(process.StartedTimestamp, end);
                }

                last = $"HTTP {result.Status}";
            }
            catch (Exception exception) when (exception is SocketException or IOException or InvalidDataException or TimeoutException)
            {
                last = exception.Message;
            }

            await Task.Delay(PollInterval);
        }
    }
}
