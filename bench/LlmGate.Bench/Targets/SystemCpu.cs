using System.Globalization;

namespace LlmGate.Bench.Targets;

/// <summary>
/// The whole machine's busy CPU time (user, nice, system, irq, softirq, steal from the first line of <c>/proc/stat</c>)
/// and its load average: what other processes took during a window shows how much the numbers can be trusted.
/// </summary>
internal static class SystemCpu
{
    public static TimeSpan BusyTime()
    {
        using var reader = new StreamReader("/proc/stat");
        var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // cpu user nice system idle iowait irq softirq steal ...
        long busy = 0;
        foreach (var index in new[] { 1, 2, 3, 6, 7, 8 })
        {
            busy += long.Parse(fields[index], CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(busy / ProcessStats.ClockTicksPerSecond);
    }

    /// <summary>How many cores the machine keeps busy over <paramref name="interval"/> (this process included).</summary>
    public static async Task<double> BusyCoresAsync(TimeSpan interval)
    {
        var before = BusyTime();
        await Task.Delay(interval);
        return (BusyTime() - before) / interval;
    }

    /// <summary>The one-minute load average.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
