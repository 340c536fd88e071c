using System.Globalization;

namespace LlmGate.Testing;

/// <summary>How an OTLP attribute value reads as text in assertions.</summary>
internal static class FakeOtlpValues
{
    public static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        IEnumerable<object?> items => "[" + string.Join(",", items.Select(Text)) + "]",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
