using System.Globalization;
using System.Runtime.InteropServices;

namespace SimpleRnnTorch.Inference;

/// <summary>
/// Whether a path is a regular file of at most a given size, asked of the file system before anything
/// opens it: a folder, a device such as /dev/zero, a FIFO or a socket never ends or blocks when read, and
/// their reported size is 0, so the kind comes from stat(2) (.NET's own System.Native, which every .NET
/// runtime on Linux and macOS carries). A read after this check must still be bounded: the file may grow.
/// </summary>
internal static class InputFileCheck
{
    // The file type bits of FileStatus.Mode as System.Native reports them (pal_io.h: the POSIX values).
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    /// <summary>
    /// The largest model file (safetensors or ONNX) a loader reads: the training parameter budget's float32
    /// weights (Training/ResourceBudget.MaxParameters, 64 Mi parameters = 256 MiB) with room for the header,
    /// the manifest's history and ONNX's framing.
    /// </summary>
    public const long MaxModelBytes = 512L << 20;

    /// <summary>
    /// Null when <paramref name="path"/> is a regular file of at most <paramref name="maxBytes"/>; else what
    /// follows the quoted path in a message, e.g. " is a FIFO (a named pipe), not a regular file".
    /// </summary>
    public static string? Problem(string path, long maxBytes, string what)
    {
        if (Directory.Exists(path))
        {
            return " is a folder, not a file";
        }

        if (!File.Exists(path))
        {
            return ": no such file";
        }

        if (!OperatingSystem.IsWindows() && Mode(path) is { } mode && (mode & TypeMask) != Regular)
        {
            return (mode & TypeMask) switch
            {
                0x2000 => " is a character device, not a regular file",
                0x6000 => " is a block device, not a regular file",
                0x1000 => " is a FIFO (a named pipe), not a regular file",
                0xC000 => " is a socket, not a regular file",
                _ => " is not a regular file",
            };
        }

        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return " cannot be read: " + e.Message.Split('\n')[0].Trim();
        }

        return length > maxBytes
            ? $" is {Size(length)}, more than the {Size(maxBytes)} {what} may be"
            : null;
    }

    /// <summary>"512 MiB", "1.5 GiB", "7.3 TiB", "300 bytes".</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 40 => (bytes / (double)(1L << 40)).ToString("0.#", CultureInfo.InvariantCulture) + " TiB",
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    /// <summary>
    /// Reads the whole file, refusing it (with <paramref name="fail"/>'s exception) once it holds more than
    /// <paramref name="maxBytes"/>: a file that grew after <see cref="Problem"/> still costs no more.
    /// </summary>
    public static byte[] ReadBounded(string path, long maxBytes, string what, Func<string, Exception> fail)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var expected = stream.Length;
        if (expected > maxBytes)
        {
            throw fail($" is {Size(expected)}, more than the {Size(maxBytes)} {what} may be");
        }

        var buffer = new byte[expected];
        var read = 0;
        while (read < buffer.Length && stream.Read(buffer, read, buffer.Length - read) is var n and > 0)
        {
            read += n;
        }

        if (read < buffer.Length)
        {
            Array.Resize(ref buffer, read); // shrank while read
        }
        else if (stream.ReadByte() >= 0)
        {
            throw fail($" grew while it was read; more than {Size(expected)}");
        }

        return buffer;
    }

    /// <summary>stat(2)'s mode, following links; null when the call is unavailable or fails.</summary>
    private static int? Mode(string path)
    {
        try
        {
            var status = new byte[256]; // FileStatus is ~120 bytes; Mode is its second int32 in every version
            return Stat(path, status) == 0 ? BitConverter.ToInt32(status, 4) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);
}
