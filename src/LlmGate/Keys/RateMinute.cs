namespace LlmGate.Keys;

/// <summary>Rate-limit windows are whole minutes of UTC time, as LiteLLM's 60-second window.</summary>
internal static class RateMinute
{
    public static long Of(DateTimeOffset now) => now.ToUnixTimeSeconds() / 60;

    public static DateTimeOffset End(long minute) => DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60);
}
