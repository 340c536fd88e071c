using System.Globalization;

namespace LlmGate.Ui.Pages;

/// <summary>How the live pages write numbers, times and sparklines; console.js formats the same way on update.</summary>
internal static class UiFormat
{
    /// <summary>A sparkline's viewBox: one unit per point across, <see cref="Height"/> up.</summary>
    public const int Height = 30;

    public static string Ms(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + " ms" : "–";

    public static string Rate(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "/s";

    public static string Percent(double value) => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Shown(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string HealthText(string health) => health switch
    {
        "cooling" => "Cooling down",
        "unhealthy" => "Unhealthy",
        _ => "Healthy",
    };

    /// <summary>An SVG polyline's points for <paramref name="series"/>, scaled to its own maximum; gaps count as 0.</summary>
    public static string Points(IEnumerable<double?> series)
    {
        var values = series.Select(v => v ?? 0).ToArray();
        var max = values.Length == 0 ? 0 : values.Max();
        return string.Join(' ', values.Select((v, i) => string.Create(CultureInfo.InvariantCulture,
            $"{i},{(max <= 0 ? Height : Math.Round(Height - (v / max * (Height - 1)), 1))}")));
    }

    public static string Points(IEnumerable<double> series) => Points(series.Select(v => (double?)v));
}
