namespace LlmGate.Configuration;

/// <summary>Reads a LiteLLM config.yaml into a <see cref="GatewayConfig"/>, collecting every problem.</summary>
internal static class ConfigLoader
{
    public static ConfigLoadResult Load(string path, Func<string, string?> getEnvironmentVariable) =>
        throw new NotImplementedException("placeholder until the configuration loader lands");

    public static ConfigLoadResult LoadText(string yaml, string sourceName, Func<string, string?> getEnvironmentVariable) =>
        throw new NotImplementedException("placeholder until the configuration loader lands");
}
