using System.Runtime.InteropServices;

namespace LlmGate.Bench.Reporting;

/// <summary>Where the numbers were measured.</summary>
internal sealed record MachineInfo(int Cores, string CpuModel, string Os, string Runtime, string CpuLayout)
{
    public static MachineInfo Current(string cpuLayout) => new(
        Targets.CpuLayout.OnlineCores(),
        CpuModelName(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        cpuLayout);

    private static string CpuModelName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
