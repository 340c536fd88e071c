using LlmGate.Bench.Cli;
using LlmGate.Bench.Targets;

// The load generator's socket continuations run on the epoll thread instead of hopping to the thread pool: about
// half the CPU per request, so the generator disturbs the processes it measures less. Read when sockets are first
// used, so set before anything opens one; the processes the harness starts do not inherit it (ChildProcess).
Environment.SetEnvironmentVariable(ChildProcessEnvironment.InlineSocketCompletions, "1");
return await BenchCommandLine.Build().Parse(args).InvokeAsync();
