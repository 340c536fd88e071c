using System.CommandLine;
using LlmGate.Cli;
using LlmGate.Hosting;

SocketTuning.Apply();
// The served gateway handles stop signals itself (SignalLifetime): System.CommandLine's own handler would end it 2 s
// after SIGTERM, mid-drain.
return await LlmGateCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
