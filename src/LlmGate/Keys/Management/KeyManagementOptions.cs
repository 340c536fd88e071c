using System.Globalization;

namespace LlmGate.Keys;

/// <summary>Settings of the management API that come from the environment rather than the config file.</summary>
internal sealed record KeyManagementOptions
{
    public static readonly KeyManagementOptions Default = new();

    /// <summary>Random bytes in a generated key (<c>LENGTH_OF_LITELLM_GENERATED_KEY</c>, 16 as in LiteLLM).</summary>
    public int GeneratedKeyBytes { get; init; } = 16;

    public static KeyManagementOptions FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var text = getEnvironmentVariable("LENGTH_OF_LITELLM_GENERATED_KEY");
        // Fewer than 16 bytes would make keys guessable; a typo must not weaken every key handed out after it.
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes is >= 16 and <= 256
            ? new KeyManagementOptions { GeneratedKeyBytes = bytes }
            : Default;
    }
}
