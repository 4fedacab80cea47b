using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SimpleRnnTorch.Common;

/// <summary>
/// What a run asks of the file system so that it never follows a symbolic link it did not create: a path
/// with its links resolved (for comparing two paths), the kind of an entry without following it (lstat),
/// an open that refuses a link (O_NOFOLLOW), and a folder flushed after a rename. The calls are .NET's own
/// System.Native, which every .NET runtime on Linux and macOS carries, with its fixed flag values (pal_io.h),
/// not the C library's, which differ between architectures.
/// </summary>
internal static class FileLinks
{
    // pal_io.h: the open flags and the file type bits of FileStatus.Mode, the same on every architecture.
    private const int OpenReadOnly = 0x0000;
    private const int OpenReadWrite = 0x0002;
    private const int OpenCloseOnExec = 0x0010;
    private const int OpenCreate = 0x0020;
    private const int OpenNoFollow = 0x0200;
    private const int TypeMask = 0xF000;

    /// <summary>The kinds of entry <see cref="Kind"/> tells apart.</summary>
    public enum EntryKind
    {
        None,
        Regular,
        Folder,
        Link,
        Other,
    }

    /// <summary>
    /// <paramref name="path"/> made absolute with every symbolic link in it resolved, as the kernel resolves
    /// it (a link, then "..": so "alias/../x" is beside the link's target); the part that does not exist yet
    /// is appended as given. Two paths name one file when their resolved forms are equal.
    /// </summary>
    public static string Resolve(string path)
    {
        var absolute = Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var root = Path.GetPathRoot(absolute)!;
        var pending = new Stack<string>();
        Push(pending, absolute[root.Length..]);
        var current = root;
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            var target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > 40)
            {
                return Path.GetFullPath(path); // a loop of links, which no open follows either
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }

            Push(pending, target);
        }

        return current;
    }

    /// <summary>What <paramref name="path"/> is, without following a link there (lstat(2)).</summary>
    public static EntryKind Kind(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                return EntryKind.Link;
            }

            if (Directory.Exists(path))
            {
                return EntryKind.Folder;
            }

            if (!info.Exists)
            {
                return EntryKind.None;
            }

            return OperatingSystem.IsWindows() || LStatMode(path) is not { } mode || (mode & TypeMask) == 0x8000 ? EntryKind.Regular : EntryKind.Other;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return EntryKind.Other;
        }
    }

    /// <summary>Whether anything at all is at <paramref name="path"/>, a dangling link included.</summary>
    public static bool Exists(string path) => Kind(path) != EntryKind.None;

    /// <summary>
    /// Opens (creating it when missing) the regular file <paramref name="path"/> for reading and writing,
    /// never through a symbolic link (O_NOFOLLOW on Linux; elsewhere a link found just before is refused).
    /// </summary>
    /// <exception cref="IOException">A link, a folder, a FIFO or a device is there, or the open failed; the message says which, without the path.</exception>
    public static FileStream OpenOrCreateNoFollow(string path, FileShare share)
    {
        if (!OperatingSystem.IsLinux())
        {
            RefuseAnythingButRegular(path);
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, share);
        }

        var fd = Open(path, OpenReadWrite | OpenCreate | OpenNoFollow | OpenCloseOnExec, 0b110_110_110);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (handle.IsInvalid)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            RefuseAnythingButRegular(path); // ELOOP and EISDIR say it less clearly
            throw new IOException(new Win32Exception(errno).Message, errno);
        }

        var status = new byte[256]; // FileStatus is ~120 bytes; Mode is its second int32 in every version
        if (FStat(handle, status) != 0 || (BitConverter.ToInt32(status, 4) & TypeMask) != 0x8000)
        {
            handle.Dispose();
            throw new IOException("it is not a regular file (a FIFO, a device or a socket)");
        }

        return new FileStream(handle, FileAccess.ReadWrite, bufferSize: 0);
    }

    /// <summary>Flushes a folder's entries (a rename just made in it) to the disk; a no-op where that is not possible.</summary>
    public static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var handle = new SafeFileHandle(Open(folder, OpenReadOnly | OpenCloseOnExec, 0), ownsHandle: true);
        if (!handle.IsInvalid)
        {
            _ = FSync(handle);
        }
    }

    private static void RefuseAnythingButRegular(string path)
    {
        switch (Kind(path))
        {
            case EntryKind.Link:
                throw new IOException($"it is a symbolic link (to '{Excerpt.OfPath(LinkTarget(path) ?? "?")}'), which a run never follows");
            case EntryKind.Folder:
                throw new IOException("it is a folder");
            case EntryKind.Other:
                throw new IOException("it is not a regular file (a FIFO, a device or a socket)");
        }
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Push(Stack<string> pending, string relative)
    {
        var parts = relative.Split(OperatingSystem.IsWindows() ? ['\\', '/'] : ['/']);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static int? LStatMode(string path)
    {
        try
        {
            var status = new byte[256];
            return LStat(path, status) == 0 ? BitConverter.ToInt32(status, 4) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static extern int FStat(SafeFileHandle fd, [Out] byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_FSync", SetLastError = true)]
    private static extern int FSync(SafeFileHandle fd);
}
