using SimpleRnnTorch.Common;
using SimpleRnnTorch.Persistence;

namespace SimpleRnnTorch.Cli;

/// <summary>Checks of paths a command will write, made at parse time without creating anything.</summary>
internal static class PathChecks
{
    /// <summary>
    /// Why a folder can never be used: no name, a file, or a file where one of its parents should be.
    /// A folder that merely does not exist yet is fine. With <paramref name="option"/> the message names it.
    /// </summary>
    public static string? FolderProblem(string? option, string? folder)
    {
        var named = option is null ? "" : $"{option} '{folder}' ";
        if (string.IsNullOrWhiteSpace(folder))
        {
            return option is null ? "must name a folder" : $"{option} must name a folder";
        }

        if (File.Exists(folder))
        {
            return $"{named}is a file, not a folder";
        }

        try
        {
            for (var parent = Path.GetDirectoryName(Path.GetFullPath(folder)); parent is not null; parent = Path.GetDirectoryName(parent))
            {
                if (File.Exists(parent))
                {
                    return $"{named}is not a writable folder: '{parent}' is a file";
                }

                if (Directory.Exists(parent))
                {
                    return null;
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{named}is not a usable path: {e.Message}";
        }

        return null;
    }

    /// <summary>Whether two paths name one file, as the kernel resolves them: every link in them followed ("alias/x" is "folder/x").</summary>
    public static bool Same(string a, string b) =>
        RunFiles.PathComparer.Equals(FileLinks.Resolve(a), FileLinks.Resolve(b));
}
