namespace LlmGate.Keys;

/// <summary>
/// A request field that may be absent, null or set: an update changes only what was sent, and a null it was sent
/// clears the value.
/// </summary>
internal readonly record struct Field<T>(bool Present, T Value)
{
    public static Field<T> Absent => default;
}
