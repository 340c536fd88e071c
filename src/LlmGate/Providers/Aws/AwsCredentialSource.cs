using System.Net;
using Amazon.Runtime;

namespace LlmGate.Providers.Aws;

/// <summary>
/// A Bedrock deployment's AWS credentials, as the AWS SDK obtains them: static keys, a profile or the default chain
/// (which the SDK itself keeps fresh), or STS for an assumed role or a web identity. STS credentials are kept until
/// shortly before they expire; in their last minutes one refresh runs in the background while they are still served,
/// and only a call that finds none valid waits — for that same single refresh.
/// </summary>
internal sealed class AwsCredentialSource
{
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan UsableUntil = TimeSpan.FromMinutes(1);

    private readonly Lazy<AWSCredentials>? _sdk;
    private readonly Func<CancellationToken, Task<AwsTemporaryCredentials>>? _sts;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private AwsTemporaryCredentials? _current;
    private Task<AwsTemporaryCredentials>? _refresh;

    private AwsCredentialSource(Lazy<AWSCredentials>? sdk, Func<CancellationToken, Task<AwsTemporaryCredentials>>? sts, string description, TimeProvider time)
    {
        _sdk = sdk;
        _sts = sts;
        Description = description;
        _time = time;
    }

    /// <summary>Whose credentials these are, for messages: a role, a profile, a key id — never a secret.</summary>
    public string Description { get; }

    /// <param name="credentials">Found when the first call needs them (the default chain may probe the instance metadata service).</param>
    public static AwsCredentialSource FromSdk(Func<AWSCredentials> credentials, string description, TimeProvider time) =>
        new(new Lazy<AWSCredentials>(credentials), null, description, time);

    /// <param name="fetch">Asks STS for new credentials (AssumeRole, AssumeRoleWithWebIdentity).</param>
    public static AwsCredentialSource FromSts(Func<CancellationToken, Task<AwsTemporaryCredentials>> fetch, string description, TimeProvider time) =>
        new(null, fetch, description, time);

    public async ValueTask<ImmutableCredentials> GetAsync(CancellationToken cancellationToken)
    {
        if (_sdk is not null)
        {
            return await Guard(async () => await _sdk.Value.GetCredentialsAsync());
        }

        var now = _time.GetUtcNow();
        if (_current is { } current && now < current.Expires - UsableUntil)
        {
            if (now >= current.Expires - RefreshAhead)
            {
                _ = Refresh(); // in the background: this call goes on with credentials still valid
            }

            return current.Credentials;
        }

        return (await Refresh().WaitAsync(cancellationToken)).Credentials;
    }

    private Task<AwsTemporaryCredentials> Refresh()
    {
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false } running)
            {
                return running;
            }

            return _refresh = Guard(async () =>
            {
                var fresh = await _sts!(CancellationToken.None);
                _current = fresh;
                return fresh;
            });
        }
    }

    private async Task<T> Guard<T>(Func<Task<T>> fetch)
    {
        try
        {
            return await fetch();
        }
        catch (AmazonServiceException exception)
        {
            var status = exception.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest ? 401 : 503;
            throw new ProviderCredentialException($"AWS refused credentials for {Description} ({exception.ErrorCode}: {exception.Message})", status, exception);
        }
        catch (AmazonClientException exception)
        {
            throw new ProviderCredentialException($"no AWS credentials for {Description}: {exception.Message}", 401, exception);
        }
        catch (HttpRequestException exception)
        {
            throw new ProviderCredentialException($"could not reach AWS STS for {Description}: {exception.Message}", 503, exception);
        }
    }
}
