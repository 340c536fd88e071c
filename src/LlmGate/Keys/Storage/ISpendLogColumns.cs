namespace LlmGate.Keys;

/// <summary>
/// Takes a spend-log row's values one column at a time, typed, in the order of the store's column list (0-based): a
/// store binds them as they come, so writing a row boxes nothing (this runs once per call the gateway serves).
/// </summary>
internal interface ISpendLogColumns
{
    void Text(int column, string? value);

    void Real(int column, double value);

    void Integer(int column, long value);

    void Time(int column, DateTimeOffset value);
}
