using System.Diagnostics;

namespace SimpleRnnTorch.Experiments;

/// <summary>Resident memory of this process, native (libtorch) allocations included, in MiB.</summary>
internal static class ProcessMemory
{
    private const double Mib = 1024.0 * 1024.0;

    public static double ResidentMib()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / Mib;
    }

    /// <summary>The high-water mark (VmHWM on Linux): what /usr/bin/time reports as maximum resident set size.</summary>
    public static double PeakResidentMib()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / Mib;
    }
}
