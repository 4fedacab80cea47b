using System.Reflection;

namespace SimpleRnnTorch.Tests;

internal static class TestPaths
{
    public static string RepoRoot => Metadata("RepoRoot");

    public static string NuGetPackageRoot => Metadata("NuGetPackageRoot");

    /// <summary>The program as built beside the tests, run the way a user runs it: `dotnet SimpleRnnTorch.dll`.</summary>
    public static string AppDll => Path.Combine(AppContext.BaseDirectory, "SimpleRnnTorch.dll");

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

/// <summary>A fresh folder per test, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("simplernn-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
