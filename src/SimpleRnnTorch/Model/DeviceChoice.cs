using System.Reflection;
using SimpleRnnTorch.Common;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Model;

/// <summary>Where tensors live: cpu, cuda, or auto (cuda when this build and this machine have it).</summary>
internal enum DeviceKind
{
    Cpu,
    Cuda,
    Auto,
}

/// <summary>The machine or this build cannot run on the device that was asked for.</summary>
internal sealed class DeviceUnavailableException(string message) : ProgramError(message, FailureKind.Unavailable);

/// <summary>Turns a <see cref="DeviceKind"/> into a torch device, or explains in one line why it cannot.</summary>
internal static class DeviceChoice
{
    /// <summary>"cpu" or "cuda": which libtorch this build references (-p:TorchBackend=...).</summary>
    public static string BuildBackend { get; } =
        typeof(DeviceChoice).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    public static Device Resolve(DeviceKind kind)
    {
        var cudaBuild = BuildBackend == "cuda";
        return kind switch
        {
            DeviceKind.Cpu => CPU,
            DeviceKind.Auto => cudaBuild && cuda.is_available() ? CUDA : CPU,
            _ when !cudaBuild => throw new DeviceUnavailableException(
                "--device cuda: this build has no CUDA libtorch (it was built with TorchBackend=cpu); " +
                "rebuild with `dotnet run -p:TorchBackend=cuda --project src/SimpleRnnTorch -- --device cuda` on Linux x64 or Windows x64"),
            _ when !cuda.is_available() => throw new DeviceUnavailableException(
                "--device cuda: this build has CUDA libtorch but no CUDA GPU is usable here " +
                "(check `nvidia-smi` and that the NVIDIA driver supports CUDA 12.8); use --device cpu"),
            _ => CUDA,
        };
    }

    /// <summary>"cpu" or "cuda", as the options spell it.</summary>
    public static string Name(Device device) => device.type.ToString().ToLowerInvariant();
}
