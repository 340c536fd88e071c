namespace LlmGate.Bench.Targets;

/// <summary>
/// Which cores each process may use. Unpinned (the default): the scheduler decides, as it will in production.
/// Pinned (<c>--pin</c>, on two or more cores): the process under test gets the last core to itself; the fake
/// upstream shares the others with the harness (its own core is whatever it was started with, e.g. <c>taskset -c 0</c>).
/// </summary>
internal sealed record CpuLayout(string? TargetCores, string? AuxiliaryCores)
{
    public static CpuLayout Unpinned { get; } = new(null, null);

    public bool Pinned => TargetCores is not null;

    public static CpuLayout Choose(bool pin)
    {
        var cores = OnlineCores();
        if (!pin || cores < 2 || !File.Exists("/usr/bin/taskset"))
        {
            return Unpinned;
        }

        return new CpuLayout((cores - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), cores == 2 ? "0" : $"0-{cores - 2}");
    }

    /// <summary>
    /// The machine's cores, whatever this process is pinned to (<see cref="Environment.ProcessorCount"/> counts only
    /// the cores it may use): the count of <c>/sys/devices/system/cpu/online</c>, e.g. <c>0-1</c>.
    /// </summary>
    public static int OnlineCores()
    {
        try
        {
            var count = 0;
            foreach (var range in File.ReadAllText("/sys/devices/system/cpu/online").Trim().Split(','))
            {
                var bounds = range.Split('-');
                count += bounds.Length == 2 ? int.Parse(bounds[1], System.Globalization.CultureInfo.InvariantCulture) - int.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture) + 1 : 1;
            }

            return count;
        }
        catch (Exception exception) when (exception is IOException or FormatException or UnauthorizedAccessException)
        {
            return Environment.ProcessorCount;
        }
    }

    /// <summary>The cores this process itself may run on, from <c>/proc/self/status</c>.</summary>
    public static string CurrentProcessCores()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
            {
                return line["Cpus_allowed_list:".Length..].Trim();
            }
        }

        return "?";
    }

    public string Describe() => Pinned
        ? $"target on CPU {TargetCores}; load generator, fake upstream and fake PagerDuty on CPU {AuxiliaryCores} (this process runs on {CurrentProcessCores()})"
        : "not pinned";
}
