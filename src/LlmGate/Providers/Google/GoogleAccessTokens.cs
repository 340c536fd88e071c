using Google;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Json;
using Newtonsoft.Json;

namespace LlmGate.Providers.Google;

/// <summary>
/// OAuth2 access tokens for Google Cloud, obtained by Google's own auth library: a service account's signed JWT
/// exchanged at its <c>token_uri</c>, a gcloud user's refresh token, workload identity, or the metadata server.
/// The library caches the token, refreshes it ahead of expiry in the background while the current one is still
/// served, and shares one refresh among all waiting calls; a call only waits when no valid token exists.
/// </summary>
internal sealed class GoogleAccessTokens
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly Func<CancellationToken, Task<ITokenAccess>> _credential;

    private GoogleAccessTokens(Func<CancellationToken, Task<ITokenAccess>> credential, string description, string? projectId)
    {
        _credential = credential;
        Description = description;
        ProjectId = projectId;
    }

    /// <summary>Whose tokens these are, for messages: the account and token server, never a secret.</summary>
    public string Description { get; }

    /// <summary>The project named by the credentials (a service account's <c>project_id</c>, a user's <c>quota_project_id</c>).</summary>
    public string? ProjectId { get; }

    /// <summary>
    /// Credentials as LiteLLM's <c>vertex_credentials</c> takes them: the JSON itself or the path of a file holding it.
    /// Throws <see cref="ProviderConfigurationException"/> when they can never work; the message names the setting
    /// and the problem, never the key.
    /// </summary>
    public static GoogleAccessTokens Load(string valueOrPath, string setting, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(valueOrPath);
        var trimmed = valueOrPath.Trim();
        if (trimmed.StartsWith('{'))
        {
            return FromJson(trimmed, $"{setting} (inline JSON)", time);
        }

        string json;
        try
        {
            json = File.ReadAllText(trimmed);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ProviderConfigurationException($"{setting}: cannot read the credentials file {trimmed}: {exception.Message}", exception);
        }

        return FromJson(json, $"{setting} (file {trimmed})", time);
    }

    /// <summary>
    /// Application Default Credentials, found when the first call needs them (the gcloud user file or the metadata
    /// server of Google Cloud): nothing is probed at start-up, and a failure is retried on the next call.
    /// </summary>
    public static GoogleAccessTokens ApplicationDefault()
    {
        Task<ITokenAccess>? found = null;
        async Task<ITokenAccess> FindAsync(CancellationToken cancellationToken)
        {
            var attempt = found ??= Find();
            try
            {
                return await attempt.WaitAsync(cancellationToken);
            }
            catch (InvalidOperationException exception)
            {
                _ = Interlocked.CompareExchange(ref found, null, attempt);
                throw new ProviderCredentialException(
                    "no Google credentials found: set litellm_params.vertex_credentials, VERTEXAI_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS, "
                    + $"or run on Google Cloud ({exception.Message})",
                    401,
                    exception);
            }
        }

        static async Task<ITokenAccess> Find() => (await GoogleCredential.GetApplicationDefaultAsync()).CreateScoped(CloudPlatformScope);

        return new GoogleAccessTokens(FindAsync, "application default credentials", null);
    }

    /// <summary>A token for the next call: the cached one while it is valid, else the result of the one refresh in flight.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var credential = await _credential(cancellationToken);
            return await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (TokenResponseException exception)
        {
            var error = exception.Error;
            var detail = error is null ? exception.Message : string.IsNullOrEmpty(error.ErrorDescription) ? error.Error : $"{error.Error}: {error.ErrorDescription}";
            throw new ProviderCredentialException($"the Google token server refused a token for {Description} ({detail})", 401, exception);
        }
        catch (HttpRequestException exception)
        {
            throw new ProviderCredentialException($"could not reach the Google token server for {Description}: {exception.Message}", 503, exception);
        }
        catch (GoogleApiException exception)
        {
            throw new ProviderCredentialException($"could not get a Google token for {Description}: {exception.Message}", 503, exception);
        }
    }

    private static GoogleAccessTokens FromJson(string json, string origin, TimeProvider time)
    {
        JsonCredentialParameters parameters;
        try
        {
            parameters = NewtonsoftJsonSerializer.Instance.Deserialize<JsonCredentialParameters>(json)
                ?? throw new ProviderConfigurationException($"{origin} is empty, not Google credentials JSON");
        }
        catch (JsonException exception)
        {
            // The parser's own message may quote the content; only the position is said.
            var position = exception is JsonReaderException reader ? $" (line {reader.LineNumber}, position {reader.LinePosition})" : "";
            throw new ProviderConfigurationException($"{origin} is not valid JSON{position}", exception);
        }

        try
        {
            return parameters.Type switch
            {
                JsonCredentialParameters.ServiceAccountCredentialType => ServiceAccount(parameters, origin, time),
                null or "" => throw new ProviderConfigurationException($"{origin} has no \"type\"; expected Google credentials JSON such as a service account key file"),
                _ => Other(parameters, origin),
            };
        }
        catch (InvalidOperationException exception)
        {
            throw new ProviderConfigurationException($"{origin} cannot be used as Google credentials of type '{parameters.Type}': {exception.Message}", exception);
        }
    }

    private static GoogleAccessTokens ServiceAccount(JsonCredentialParameters parameters, string origin, TimeProvider time)
    {
        if (string.IsNullOrEmpty(parameters.ClientEmail) || string.IsNullOrEmpty(parameters.PrivateKey))
        {
            throw new ProviderConfigurationException($"{origin} is a service account without client_email or private_key");
        }

        // Built here rather than by CredentialFactory so that token expiry runs on the gateway's clock.
        var initializer = new ServiceAccountCredential.Initializer(parameters.ClientEmail, parameters.TokenUri ?? GoogleAuthConsts.TokenUrl)
        {
            Clock = new TimeProviderClock(time),
            KeyId = parameters.PrivateKeyId,
            ProjectId = parameters.ProjectId,
            Scopes = [CloudPlatformScope],
        };
        if (!string.IsNullOrEmpty(parameters.UniverseDomain))
        {
            initializer.UniverseDomain = parameters.UniverseDomain;
        }

        try
        {
            initializer = initializer.FromPrivateKey(parameters.PrivateKey);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new ProviderConfigurationException($"{origin}: private_key of service account {parameters.ClientEmail} is not a valid PEM RSA key", exception);
        }

        ITokenAccess credential = new ServiceAccountCredential(initializer);
        return new GoogleAccessTokens(_ => Task.FromResult(credential), $"service account {parameters.ClientEmail} (token_uri {initializer.TokenServerUrl})", parameters.ProjectId);
    }

    // A gcloud user (authorized_user), workload identity (external_account), an impersonated service account: Google's factory knows them.
    private static GoogleAccessTokens Other(JsonCredentialParameters parameters, string origin)
    {
        ITokenAccess credential = CredentialFactory.FromJsonParameters<GoogleCredential>(parameters).CreateScoped(CloudPlatformScope);
        var account = parameters.ClientEmail ?? parameters.ClientId ?? parameters.Audience ?? parameters.Type;
        return new GoogleAccessTokens(_ => Task.FromResult(credential), $"{parameters.Type} credentials {account} from {origin}", parameters.ProjectId ?? parameters.QuotaProject);
    }
}
