using Google.Apis.Util;

namespace LlmGate.Providers.Google;

/// <summary>The gateway's <see cref="TimeProvider"/> as Google's auth library reads time, so token expiry follows the same clock as everything else (and tests can move it).</summary>
internal sealed class TimeProviderClock(TimeProvider time) : IClock
{
    public DateTime Now => time.GetLocalNow().DateTime;

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
}
