namespace LlmGate.Hosting;

/// <summary>
/// Runs socket completions on the epoll threads instead of handing each to the thread pool. A gateway call is a
/// chain of small socket reads and writes (client in, upstream out, upstream in, client out); each hand-off costs a
/// thread wake-up, and on the bench's 2-core machine the profile showed 1.7 context switches per call and the
/// gateway's CPU per chat call fell from about 63 to 44 µs with inline completions (bench/README.md has the runs).
/// Kestrel still hands each request to the thread pool (its own scheduling is left at the default), so what runs
/// inline is the code after a socket wait: the relay after an upstream read, which awaits everything it waits for
/// (SQLite writes, Redis and the alert senders run on their own loops). The runtime reads the variable once, when the first socket is made,
/// so this must run first thing in <c>Main</c>; an operator's own setting (e.g. <c>0</c>) is left as it is.
/// </summary>
internal static class SocketTuning
{
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
