namespace LlmGate.Ui.Sessions;

/// <summary>
/// Failed sign-ins per client IP: after <see cref="MaxFailures"/> within <see cref="Window"/>, that IP is refused until
/// the oldest of them leaves the window. Memory is bounded: at most <see cref="MaxClients"/> IPs are tracked.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public const int MaxClients = 10_000;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="client"/> must wait before trying again; null when it may try now.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_failures.TryGetValue(client, out var failures) || Trim(failures, now) < MaxFailures)
            {
                return null;
            }

            return failures.Peek() + Window - now;
        }
    }

    public void Failed(string client)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_failures.TryGetValue(client, out var failures))
            {
                if (_failures.Count >= MaxClients)
                {
                    Prune(now);
                }

                failures = new Queue<DateTimeOffset>(MaxFailures);
                _failures[client] = failures;
            }

            Trim(failures, now);
            if (failures.Count >= MaxFailures)
            {
                failures.Dequeue(); // only the last MaxFailures matter
            }

            failures.Enqueue(now);
        }
    }

    public void Succeeded(string client)
    {
        lock (_gate)
        {
            _failures.Remove(client);
        }
    }

    private static int Trim(Queue<DateTimeOffset> failures, DateTimeOffset now)
    {
        while (failures.Count > 0 && failures.Peek() + Window <= now)
        {
            failures.Dequeue();
        }

        return failures.Count;
    }

    // Forget clients whose failures all left the window; if every slot is still live, the quietest client goes.
    private void Prune(DateTimeOffset now)
    {
        foreach (var (client, failures) in _failures)
        {
            if (Trim(failures, now) == 0)
            {
                _failures.Remove(client);
            }
        }

        if (_failures.Count >= MaxClients)
        {
            _failures.Remove(_failures.MinBy(f => f.Value.Peek()).Key);
        }
    }
}
