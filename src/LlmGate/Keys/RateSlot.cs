namespace LlmGate.Keys;

/// <summary>Where a call was counted in against a key's or team's rate limits, so its end is counted in the same place.</summary>
internal enum RateSlot
{
    None,
    Memory,
    Shared,
}
