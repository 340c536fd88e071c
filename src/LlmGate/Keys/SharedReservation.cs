namespace LlmGate.Keys;

/// <summary>A call's reservations in Redis: the member naming them, and whether the key's and its team's or user's were made.</summary>
internal sealed record SharedReservation(string? Member, bool Key, bool Owner)
{
    public static readonly SharedReservation None = new(null, false, false);
}
