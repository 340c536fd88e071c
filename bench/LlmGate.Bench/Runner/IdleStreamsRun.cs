using System.Collections.Concurrent;
using System.Diagnostics;
using LlmGate.Bench.Load;
using LlmGate.Bench.Reporting;
using LlmGate.Bench.Targets;

namespace LlmGate.Bench.Runner;

/// <summary>
/// The idle-streams scenario: opens N streamed requests through the target (at most <see cref="OpenParallelism"/>
/// connecting at once, all within the opening limit), waits until each has its first chunk, samples the target's RSS
/// and threads, holds them for a while, samples again, checks every stream is still open, and closes them all.
/// </summary>
internal sealed class IdleStreamsRun(int streams, TimeSpan openLimit, TimeSpan hold)
{
    // Connections in progress at once: well under Kestrel's listen backlog (512), so no SYN is dropped and retried.
    private const int OpenParallelism = 64;

    public async Task<IdleStreamsResult> RunAsync(string target, int port, string apiKey, int pid, RuntimeProbe probe)
    {
        var request = LoadRequest.IdleStream(port, apiKey);
        var idleRss = ProcessStats.ResidentBytes(pid);
        var before = probe.TrySample();
        var connections = new ConcurrentBag<IdleStreamConnection>();
        var errors = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var started = Stopwatch.GetTimestamp();
        using var opening = new CancellationTokenSource(openLimit);
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, streams),
                new ParallelOptions { MaxDegreeOfParallelism = OpenParallelism, CancellationToken = opening.Token },
                async (_, cancellationToken) =>
                {
                    try
                    {
                        connections.Add(await IdleStreamConnection.OpenAsync(request.EndPoint, request.Bytes, cancellationToken));
                    }
                    catch (Exception exception) when (exception is IOException or InvalidDataException or System.Net.Sockets.SocketException)
                    {
                        errors.AddOrUpdate(Describe(exception), 1, (_, count) => count + 1);
                    }
                });
        }
        catch (OperationCanceledException)
        {
            errors.AddOrUpdate($"not opened within {openLimit.TotalSeconds:0} s", streams - connections.Count, (_, count) => count + streams - connections.Count);
        }

        var openSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        try
        {
            var openRss = ProcessStats.ResidentBytes(pid);
            var open = probe.TrySample();
            await Task.Delay(hold);
            var heldRss = ProcessStats.ResidentBytes(pid);
            var after = probe.TrySample();
            var all = connections.ToArray();
            foreach (var ended in all.Where(c => c.EndedEarly is not null))
            {
                errors.AddOrUpdate("ended early: " + ended.EndedEarly, 1, (_, count) => count + 1);
            }

            var alive = all.Count(c => c.EndedEarly is null);
            return new IdleStreamsResult
            {
                Target = target,
                Streams = streams,
                Opened = all.Length,
                OpenSeconds = Math.Round(openSeconds, 2),
                IdleRssMib = Mib(idleRss),
                OpenRssMib = Mib(openRss),
                HeldRssMib = Mib(heldRss),
                KbPerStream = all.Length == 0 ? 0 : Math.Round((Math.Max(openRss, heldRss) - idleRss) / 1024.0 / all.Length, 1),
                ThreadsBefore = before?.Threads,
                ThreadsOpen = open?.Threads,
                ThreadsAfter = after?.Threads,
                ThreadPoolThreadsBefore = before?.ThreadPoolThreads,
                ThreadPoolThreadsAfter = after?.ThreadPoolThreads,
                OpenFdsHeld = after?.OpenFds,
                HoldSeconds = hold.TotalSeconds,
                AliveAtEnd = alive,
                ChunkedDuringHold = all.Count(c => c.ChunksAfterFirst > 0),
                Errors = (int)errors.Values.Sum(),
                ErrorKinds = new Dictionary<string, long>(errors, StringComparer.Ordinal),
                FileDescriptorLimit = FileDescriptorLimit.Current().Soft,
            };
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    private static double Mib(long bytes) => Math.Round(bytes / (1024.0 * 1024), 1);

    private static string Describe(Exception exception) => exception switch
    {
        System.Net.Sockets.SocketException socket => $"socket: {socket.SocketErrorCode}",
        EndOfStreamException => "closed before the first chunk",
        InvalidDataException invalid => "bad response: " + invalid.Message,
        _ => exception.GetType().Name,
    };
}
