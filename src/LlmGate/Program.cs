using LlmGate.Cli;
using LlmGate.Hosting;

SocketTuning.Apply();
return await LlmGateCommandLine.Build().Parse(args).InvokeAsync();
