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

    /// <summary>A folder <paramref name="name"/> in this one, holding <paramref name="files"/> (a user's files, each name and its text).</summary>
    public string Folder(string name, params (string Name, string Text)[] files)
    {
        var folder = File(name);
        Directory.CreateDirectory(folder);
        foreach (var (file, text) in files)
        {
            System.IO.File.WriteAllText(System.IO.Path.Combine(folder, file), text);
        }

        return folder;
    }

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

/// <summary>What a folder holds, as the run-folder tests compare it before and after a run.</summary>
internal static class FolderFiles
{
    /// <summary>The names of the files a user sees, in order: a run's lock file and record are hidden (dot) files.</summary>
    public static string[] Visible(string folder) =>
        Directory.GetFiles(folder).Select(p => Path.GetFileName(p)!).Where(n => n[0] != '.').Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every file's name and bytes.</summary>
    public static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.GetFiles(folder).ToDictionary(p => Path.GetFileName(p)!, System.IO.File.ReadAllBytes);
}
