namespace LlmGate.Providers.Responses;

/// <summary>The output items a bridged answer can hold.</summary>
internal enum ResponseItemKind
{
    Reasoning,
    Message,
    FunctionCall,
}
