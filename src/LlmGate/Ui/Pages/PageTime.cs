using System.Globalization;

namespace LlmGate.Ui.Pages;

/// <summary>
/// Timestamps on the pages: <see cref="Iso"/> for <c>&lt;time datetime&gt;</c> (the console's script shows it in the
/// reader's zone) and <see cref="Text"/>, the UTC text shown before the script runs or without it.
/// </summary>
public static class PageTime
{
    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Text(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Money(double usd) => usd.ToString("0.0000", CultureInfo.InvariantCulture);
}
