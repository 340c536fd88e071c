using Amazon.Runtime;
using LlmGate.Providers;
using LlmGate.Providers.Aws;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Providers.Aws;

public sealed class AwsCredentialSourceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private int _fetches;
    private TaskCompletionSource<AwsTemporaryCredentials>? _pending;

    private AwsCredentialSource Source() => AwsCredentialSource.FromSts(_ =>
    {
        var fetch = Interlocked.Increment(ref _fetches);
        return _pending?.Task ?? Task.FromResult(Issue(fetch));
    }, "role r", _time);

    private AwsTemporaryCredentials Issue(int fetch) => new(new ImmutableCredentials($"ASIA{fetch}", "s", "token"), _time.GetUtcNow().AddHours(1));

    [Fact]
    public async Task GetAsync_ValidCredentials_ServedWithoutAskingStsAgain()
    {
        var source = Source();

        var first = await source.GetAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(50));
        var later = await source.GetAsync(CancellationToken.None);

        Assert.Equal("ASIA1", first.AccessKey);
        Assert.Equal("ASIA1", later.AccessKey);
        Assert.Equal(1, _fetches);
    }

    [Fact]
    public async Task GetAsync_InTheLastMinutes_ServesCurrentAndRefreshesInTheBackground()
    {
        var source = Source();
        await source.GetAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(56));
        _pending = new TaskCompletionSource<AwsTemporaryCredentials>(TaskCreationOptions.RunContinuationsAsynchronously);

        var served = await source.GetAsync(CancellationToken.None);
        var again = await source.GetAsync(CancellationToken.None);

        Assert.Equal(("ASIA1", "ASIA1"), (served.AccessKey, again.AccessKey));
        Assert.Equal(2, _fetches); // one refresh, however many calls saw the old credentials
        _pending.SetResult(Issue(2));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("ASIA2", (await source.GetAsync(CancellationToken.None)).AccessKey);
    }

    [Fact]
    public async Task GetAsync_Expired_ManyCallsWaitForOneRefresh()
    {
        var source = Source();
        await source.GetAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(61));
        _pending = new TaskCompletionSource<AwsTemporaryCredentials>(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = Enumerable.Range(0, 5).Select(_ => source.GetAsync(CancellationToken.None).AsTask()).ToArray();
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        _pending.SetResult(Issue(2));
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal("ASIA2", r.AccessKey));
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public async Task GetAsync_StsRefuses_CredentialFailureNamingTheRole()
    {
        var source = AwsCredentialSource.FromSts(_ => throw new AmazonServiceException("not authorized") { StatusCode = System.Net.HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" }, "role r", _time);

        var error = await Assert.ThrowsAsync<ProviderCredentialException>(() => source.GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(401, error.Status);
        Assert.Equal("AWS refused credentials for role r (AccessDenied: not authorized)", error.Message);
    }
}
