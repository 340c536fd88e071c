using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmGate.Testing;

/// <summary>What a fake received, in arrival order, and a way to wait until a number of requests has come.</summary>
internal sealed class ReceivedRequestLog
{
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly TimeProvider _time;

    public ReceivedRequestLog(TimeProvider time)
    {
        _time = time;
    }

    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    /// <summary>Reads the body and records the request: path and query, Authorization, body, headers, stamped on the log's clock.</summary>
    public async Task<ReceivedRequest> RecordAsync(HttpContext context) => (await RecordRawAsync(context)).Request;

    /// <summary>As <see cref="RecordAsync"/>, and also hands back the body's bytes exactly as received (for signatures).</summary>
    public async Task<(ReceivedRequest Request, byte[] Body)> RecordRawAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var bytes = buffer.ToArray();
        return (Record(context, Encoding.UTF8.GetString(bytes)), bytes);
    }

    /// <summary>Records a request whose body the fake read itself (a multipart upload, summarised rather than held).</summary>
    public ReceivedRequest Record(HttpContext context, string body)
    {
        var request = new ReceivedRequest(context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString(), body,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase))
        {
            ArrivedAt = _time.GetUtcNow(),
            RawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "",
        };
        Add(request);
        return request;
    }

    private void Add(ReceivedRequest request)
    {
        lock (_waiters)
        {
            _received.Enqueue(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= _received.Count)
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes once this many requests (refused ones included) have been received.</summary>
    public Task WaitForAsync(int count)
    {
        lock (_waiters)
        {
            if (_received.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }
}
