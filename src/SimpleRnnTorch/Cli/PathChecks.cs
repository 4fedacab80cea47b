using SimpleRnnTorch.Common;
using SimpleRnnTorch.Persistence;

namespace SimpleRnnTorch.Cli;

/// <summary>Checks of paths a command will write, made on its bound options without creating anything.</summary>
internal static class PathChecks
{
    /// <summary>
    /// Why a folder can never be used: no name, a file, or a file where one of its parents should be.
    /// A folder that merely does not exist yet is fine. With <paramref name="option"/> the message names it.
    /// </summary>
    public static string? FolderProblem(string? option, string? folder)
    {
        var named = option is null ? "" : $"{option} '{Excerpt.OfPath(folder ?? "")}' ";
        if (string.IsNullOrWhiteSpace(folder))
        {
            return option is null ? "must name a folder" : $"{option} must name a folder";
        }

        if (File.Exists(folder))
        {
            return $"{named}is a file, not a folder";
        }

        if (TooLong(folder) is { } length)
        {
            return $"{named}is too long: {length}";
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

    /// <summary>The most bytes in one name of a path (NAME_MAX) and in a whole path (PATH_MAX, its terminating NUL aside) that file systems take.</summary>
    public const int MaxNameBytes = 255;

    public const int MaxPathBytes = 4095;

    /// <summary>Why no file system takes <paramref name="path"/> (a name past <see cref="MaxNameBytes"/>, the path past <see cref="MaxPathBytes"/>); else null.</summary>
    public static string? TooLong(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null; // the checks after this one say what is wrong with it
        }

        var name = full.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Max(n => System.Text.Encoding.UTF8.GetByteCount(n));
        var whole = System.Text.Encoding.UTF8.GetByteCount(full);
        return name > MaxNameBytes ? $"a name in it has {name:N0} bytes; a file system takes at most {MaxNameBytes}"
            : whole > MaxPathBytes ? $"{whole:N0} bytes; a path may have at most {MaxPathBytes:N0}"
            : null;
    }

    /// <summary>Whether two paths name one file, as the kernel resolves them: every link in them followed ("alias/x" is "folder/x").</summary>
    public static bool Same(string a, string b) =>
        RunFiles.PathComparer.Equals(FileLinks.Resolve(a), FileLinks.Resolve(b));
}
