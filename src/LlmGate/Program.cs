using LlmGate.Cli;

return await LlmGateCommandLine.Build().Parse(args).InvokeAsync();
