using System.Security.Cryptography;
using System.Xml.Linq;

namespace SimpleRnnTorch.Tests.Build;

/// <summary>
/// build/LibTorchSharpGlibcxxFix.targets, run on copies of TorchSharp's real libLibTorchSharp.so through
/// MSBuild exactly as the build runs it. (That the torch tests run at all proves the patched output loads.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class LibTorchSharpGlibcxxFixTests
{
    private static string PristineLibrary =>
        Path.Combine(TestPaths.NuGetPackageRoot, "torchsharp", TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>The TorchSharp version the build restores, as Directory.Packages.props pins it.</summary>
    private static string TorchSharpVersion =>
        XDocument.Load(Path.Combine(TestPaths.RepoRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "TorchSharp")
            .Attribute("Version")!.Value;

    private static ProcessResult Patch(string file, bool always = true, string? libStdCxxSearchPath = null)
    {
        List<string> args =
        [
            "msbuild", Path.Combine(TestPaths.RepoRoot, "build", "LibTorchSharpGlibcxxFix.targets"),
            "-t:PatchLibTorchSharpFile", $"-p:LibTorchSharpFile={file}", $"-p:LibTorchSharpPatchAlways={always}",
            "-nologo", "-v:n",
        ];
        if (libStdCxxSearchPath is not null)
        {
            args.Add($"-p:LibStdCxxSearchPath={libStdCxxSearchPath}");
        }

        var result = ProcessRunner.Run(TestPaths.Dotnet, args);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        return result;
    }

    [LinuxFact]
    public void Sets_exactly_the_weak_flag_of_one_version_need_and_is_idempotent()
    {
        Assert.True(File.Exists(PristineLibrary), PristineLibrary);
        using var temp = new TempFolder();
        var copy = temp.File("libLibTorchSharp.so");
        File.Copy(PristineLibrary, copy);
        var pristineHash = SHA256.HashData(File.ReadAllBytes(PristineLibrary));
        var before = File.ReadAllBytes(copy);

        Patch(copy);
        var after = File.ReadAllBytes(copy);

        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        var offset = Assert.Single(changed);
        Assert.Equal(before[offset] | 0x2, after[offset]);   // VER_FLG_WEAK added, nothing else
        Assert.Equal(0, before[offset] & 0x2);

        Patch(copy);
        Assert.Equal(after, File.ReadAllBytes(copy));       // a second run changes nothing
        Assert.Equal(pristineHash, SHA256.HashData(File.ReadAllBytes(PristineLibrary))); // cache untouched

        if (File.Exists("/usr/bin/readelf"))
        {
            var versions = ProcessRunner.Run("/usr/bin/readelf", ["-V", "-W", copy]).Stdout;
            var entry = versions.Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32"));
            Assert.Contains("WEAK", entry);
        }
    }

    [LinuxFact]
    public void Leaves_a_library_without_the_requirement_alone()
    {
        var other = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libc10.so");
        Assert.True(File.Exists(other), other);
        using var temp = new TempFolder();
        var copy = temp.File("libc10.so");
        File.Copy(other, copy);
        var text = temp.File("not-elf.so");
        File.WriteAllText(text, "not an ELF file");

        Patch(copy);
        Patch(text);

        Assert.Equal(File.ReadAllBytes(other), File.ReadAllBytes(copy));
        Assert.Equal("not an ELF file", File.ReadAllText(text));
    }

    [LinuxFact]
    public void Does_nothing_when_the_system_libstdcxx_has_the_version()
    {
        Assert.True(File.Exists(PristineLibrary), PristineLibrary);
        using var temp = new TempFolder();
        var copy = temp.File("libLibTorchSharp.so");
        File.Copy(PristineLibrary, copy);
        // A stand-in libstdc++ that defines GLIBCXX_3.4.32, found first through LD_LIBRARY_PATH.
        var lib = Directory.CreateDirectory(temp.File("newer-gcc")).FullName;
        File.WriteAllText(Path.Combine(lib, "libstdc++.so.6"), "GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0");

        Patch(copy, always: false, libStdCxxSearchPath: lib);

        Assert.Equal(File.ReadAllBytes(PristineLibrary), File.ReadAllBytes(copy));
    }

    [LinuxFact]
    public void The_build_output_copy_is_patched_when_the_system_needs_it()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), output);
        const string systemLibStdCxx = "/lib/x86_64-linux-gnu/libstdc++.so.6";
        if (!File.Exists("/usr/bin/readelf") || !File.Exists(systemLibStdCxx))
        {
            return; // another layout (not Debian/Ubuntu x86-64): the torch tests loading at all are the proof there
        }

        var versions = ProcessRunner.Run("/usr/bin/readelf", ["-V", "-W", output]).Stdout;
        var hasVersion = File.ReadAllText(systemLibStdCxx).Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal);
        var entry = versions.Split('\n').SingleOrDefault(l => l.Contains("Name: GLIBCXX_3.4.32"));
        if (!hasVersion && entry is not null)
        {
            Assert.Contains("WEAK", entry);
        }
    }
}
