namespace LlmGate.Bench.Runner;

/// <summary>
/// The <c>--gateway-env NAME=VALUE</c> pairs: set in every gateway target's environment, so a runtime setting
/// (<c>DOTNET_ReadyToRun=0</c>, a GC knob) is compared in the harness without a wrapper script. The harness's own
/// variables (the probe, PagerDuty, OTLP) are set after them and win.
/// </summary>
internal static class GatewayEnvironment
{
    public static bool TryParse(string text, out KeyValuePair<string, string> variable)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            variable = default;
            return false;
        }

        variable = new(text[..equals], text[(equals + 1)..]);
        return true;
    }

    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> texts)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (!TryParse(text, out var variable))
            {
                throw new FormatException($"--gateway-env {text}: expected NAME=VALUE");
            }

            variables[variable.Key] = variable.Value;
        }

        return variables;
    }
}
