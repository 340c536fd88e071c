using LlmGate.Auth;
using LlmGate.Routing;

namespace LlmGate.Ui.Sessions;

/// <summary>
/// Who may sign in to the console: the gateway's master key (read from the current config, so a reload counts), or
/// <c>UI_USERNAME</c>/<c>UI_PASSWORD</c>. Compared as the master key is on every call (<see cref="SecretComparison"/>), so neither
/// the configured value's length nor a prefix of it leaks.
/// </summary>
internal sealed class UiCredentials(GatewaySnapshotSource snapshots, UiOptions options)
{
    /// <summary>The name a master-key sign-in shows (LiteLLM's admin).</summary>
    public const string MasterKeyUser = "admin";

    public bool HasMasterKey => !string.IsNullOrEmpty(snapshots.Current.Config.MasterKey);

    public bool HasUserPassword => options.Username is not null && options.Password is not null;

    /// <summary>False when nothing is configured: the console then refuses everyone rather than open key management to anyone.</summary>
    public bool CanSignIn => HasMasterKey || HasUserPassword;

    /// <summary>The signed-in name, or null when the credentials match nothing configured.</summary>
    public string? Check(string? key, string? username, string? password)
    {
        if (!string.IsNullOrEmpty(key) && Matches(snapshots.Current.Config.MasterKey, key))
        {
            return MasterKeyUser;
        }

        // Both compared always, so a right username with a wrong password takes as long as a wrong username.
        var userMatches = Matches(options.Username, username);
        var passwordMatches = Matches(options.Password, password);
        return userMatches && passwordMatches ? options.Username : null;
    }

    private static bool Matches(string? expected, string? given) =>
        !string.IsNullOrEmpty(expected) && !string.IsNullOrEmpty(given) && SecretComparison.FixedTimeEquals(given, expected);
}
