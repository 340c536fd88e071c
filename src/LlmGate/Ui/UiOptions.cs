namespace LlmGate.Ui;

/// <summary>
/// The operations console's settings: LiteLLM's <c>UI_USERNAME</c> / <c>UI_PASSWORD</c> (a second way in besides the
/// master key) and how long a session lasts. Secrets: never logged, never rendered.
/// </summary>
internal sealed record UiOptions
{
    public static readonly TimeSpan DefaultSessionLifetime = TimeSpan.FromHours(8);

    public string? Username { get; init; }

    public string? Password { get; init; }

    public TimeSpan SessionLifetime { get; init; } = DefaultSessionLifetime;

    public static UiOptions FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var username = getEnvironmentVariable("UI_USERNAME");
        var password = getEnvironmentVariable("UI_PASSWORD");
        return string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password)
            ? new UiOptions()
            : new UiOptions { Username = username, Password = password };
    }
}
