using SimpleRnnTorch.Model;

namespace SimpleRnnTorch.Tests;

/// <summary>A fact about a build with the CPU libtorch (the default); skipped in a -p:TorchBackend=cuda build.</summary>
public sealed class CpuBuildFactAttribute : FactAttribute
{
    public CpuBuildFactAttribute()
    {
        if (DeviceChoice.BuildBackend != "cpu")
        {
            Skip = "a CPU build only";
        }
    }
}
