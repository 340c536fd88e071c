using System.Globalization;

namespace LlmGate.Bench.Targets;

/// <summary>
/// A process's CPU time and memory as Linux reports them: <c>/proc/PID/stat</c> utime + stime, and
/// <c>/proc/PID/status</c> VmHWM (peak resident set) and VmRSS. Writing 5 to <c>/proc/PID/clear_refs</c> resets the peak.
/// </summary>
internal static class ProcessStats
{
    private static readonly Lazy<double> ClockTicks = new(ReadClockTicks);

    /// <summary>USER_HZ, the unit of CPU times in <c>/proc</c>.</summary>
    public static double ClockTicksPerSecond => ClockTicks.Value;

    /// <summary>User + system CPU time used so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / ClockTicksPerSecond);
    }

    /// <summary>Peak resident set size in bytes since start or since the last <see cref="TryResetPeak"/>.</summary>
    public static long PeakResidentBytes(int pid) => StatusKilobytes(pid, "VmHWM:") * 1024;

    public static long ResidentBytes(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>The process's threads (<c>Threads:</c> in <c>/proc/PID/status</c>).</summary>
    public static int Threads(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return int.Parse(line.AsSpan("Threads:".Length).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>Resets VmHWM to the current RSS, so the next peak is the window's own; false where the kernel refuses.</summary>
    public static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long StatusKilobytes(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var value = line[key.Length..].Trim();
                return long.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    // USER_HZ: 100 on every common Linux; `getconf CLK_TCK` says for sure.
    private static double ReadClockTicks()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true });
            var text = getconf!.StandardOutput.ReadToEnd();
            getconf.WaitForExit();
            return double.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}
