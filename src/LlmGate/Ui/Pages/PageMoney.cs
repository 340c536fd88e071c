using System.Globalization;

namespace LlmGate.Ui.Pages;

/// <summary>USD amounts on the Keys & spend page: four decimals, as small per-call costs need.</summary>
internal static class PageMoney
{
    public static string Usd(double usd) => usd.ToString("0.0000", CultureInfo.InvariantCulture);
}
