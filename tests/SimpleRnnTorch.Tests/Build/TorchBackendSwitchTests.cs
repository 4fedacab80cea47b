using System.Text.Json;

namespace SimpleRnnTorch.Tests.Build;

/// <summary>-p:TorchBackend=cuda swaps the CPU libtorch for the CUDA one of the host OS; never both.</summary>
[Trait("Category", "Integration")]
public sealed class TorchBackendSwitchTests
{
    private static List<string> LibTorchReferences(params string[] properties)
    {
        var project = Path.Combine(TestPaths.RepoRoot, "src", "SimpleRnnTorch", "SimpleRnnTorch.csproj");
        var result = ProcessRunner.Run(TestPaths.Dotnet, ["msbuild", project, "-getItem:PackageReference", "-nologo", .. properties]);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!)
            .Where(id => id == "TorchSharp" || id.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    [Theory]
    [InlineData("linux-x64")]
    [InlineData("win-x64")]
    public void Cuda_backend_references_only_the_cuda_runtime(string rid)
    {
        var refs = LibTorchReferences("-p:TorchBackend=cuda", $"-p:TorchHostRid={rid}");
        Assert.Equal(["TorchSharp", $"libtorch-cuda-12.8-{rid}"], refs);
    }

    [Theory]
    [InlineData("linux-x64")]
    [InlineData("osx-arm64")]
    public void Cpu_backend_references_only_the_host_cpu_runtime(string rid)
    {
        var refs = LibTorchReferences($"-p:TorchHostRid={rid}");
        Assert.Equal(["TorchSharp", $"libtorch-cpu-{rid}"], refs);
    }
}
