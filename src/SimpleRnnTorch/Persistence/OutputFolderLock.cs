using System.Globalization;
using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// A folder a run cannot use: not a folder, held by another running process (<see cref="FailureKind.Busy"/>),
/// holding what a run will not touch (<see cref="FailureKind.Input"/>), or failing to be written, a full disk
/// or a read-only file system (<see cref="FailureKind.Failed"/>).
/// </summary>
internal sealed class OutputFolderException(string message, FailureKind kind) : ProgramError(message, kind)
{
    /// <summary>True when another process holds the folder: trying again later may work.</summary>
    public bool Busy => Kind == FailureKind.Busy;
}

/// <summary>
/// A run owns its output folder: <see cref="Acquire"/> creates the folder and takes an exclusive lock on
/// the first byte of a hidden file in it (never through a link, never a file some other program wrote under
/// its name), and a second run into the same folder is refused while the
/// first one lives, with one line naming the process that holds it.
/// <para>
/// The lock is the OS's byte-range lock (fcntl on Linux, LockFileEx on Windows, through
/// <see cref="FileStream.Lock"/>; an exclusive flock on macOS): the kernel drops it when the process ends, however it ends, so a
/// kill -9 never leaves the folder locked. The lock file stays behind between runs on purpose: deleting
/// it on exit would let a third run lock a new file while a second still holds the old one.
/// The bytes after the first name the owner, for the refusal message; the lock itself is in the kernel.
/// </para>
/// </summary>
internal sealed class OutputFolderLock : IDisposable
{
    public const string FileName = ".simplernntorch.lock";

    // fcntl locks belong to the process: a second lock from this same process would be granted (and
    // closing its file would release the first), so the folders held here are remembered with their
    // owners, and acquiring is serialised.
    private static readonly Dictionary<string, string> HeldHere = new(StringComparer.Ordinal);

    private readonly FileStream stream;
    private readonly string key;

    private OutputFolderLock(string folder, FileStream stream, string key)
    {
        Folder = folder;
        this.stream = stream;
        this.key = key;
    }

    public string Folder { get; }

    /// <param name="option">How the caller names the folder, for the messages (the option that named it, e.g. "--output").</param>
    public static OutputFolderLock Acquire(string folder, string option, string purpose)
    {
        lock (HeldHere)
        {
            return AcquireSerialised(folder, option, purpose);
        }
    }

    /// <summary>
    /// The lock of a folder that runs use (it has a lock file), or null for any other folder, which gets no
    /// lock file: for a command that writes one file where a run might be writing (export).
    /// </summary>
    public static OutputFolderLock? AcquireIfRunFolder(string folder, string option, string purpose) =>
        FileLinks.Exists(Path.Combine(folder, FileName)) ? Acquire(folder, option, purpose) : null; // a link there is refused, not ignored

    private static OutputFolderLock AcquireSerialised(string folder, string option, string purpose)
    {
        // macOS: .NET has no FileStream.Lock there; an exclusive open (flock) is just as safe, but then a
        // refused run cannot read who holds the folder.
        var byteRange = !OperatingSystem.IsMacOS();
        // Keyed by the folder with its links resolved: a second name for a held folder is the same folder.
        var key = FileLinks.Resolve(folder).TrimEnd(Path.DirectorySeparatorChar);
        if (HeldHere.TryGetValue(key, out var holderHere))
        {
            throw Busy(folder, option, holderHere);
        }

        var path = Path.Combine(folder, FileName);
        FileStream stream;
        try
        {
            Directory.CreateDirectory(folder);
            // Never through a link (O_NOFOLLOW), and only a regular file: a lock file planted as a link to a
            // file elsewhere would otherwise be truncated and written. Shared open where the lock is the byte
            // range, so that a refused run can still read the owner.
            stream = FileLinks.OpenOrCreateNoFollow(path, byteRange ? FileShare.ReadWrite | FileShare.Delete : FileShare.None);
        }
        catch (IOException) when (!byteRange && FileLinks.Kind(path) == FileLinks.EntryKind.Regular)
        {
            throw Busy(folder, option, "another process");
        }
        catch (IOException e) when (FileLinks.Exists(path) && FileLinks.Kind(path) != FileLinks.EntryKind.Regular)
        {
            throw new OutputFolderException($"{option} '{Excerpt.OfPath(folder)}' holds the lock file {FileName}, but {e.Message}; " +
                                            "remove it (what it names is left as it is) and run again", FailureKind.Input);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OutputFolderException($"{option} '{Excerpt.OfPath(folder)}' is not a writable folder: {e.Message}", AtomicFile.KindOf(e));
        }

        if (byteRange)
        {
            try
            {
                LockFirstByte(stream);
            }
            catch (IOException)
            {
                var holder = ReadOwner(stream);
                stream.Dispose();
                throw Busy(folder, option, holder);
            }
        }

        // A lock file holds one line that a run wrote ("#pid ..."), or nothing: anything else is some other
        // file under this name (a hard link to one, say), which truncating would destroy.
        if (NotALockFile(stream) is { } what)
        {
            stream.Dispose();
            throw new OutputFolderException($"{option} '{Excerpt.OfPath(folder)}' holds a file named {FileName} that no run wrote ({what}); " +
                                            "a run never overwrites it: move it away or choose another folder", FailureKind.Input);
        }

        // Who holds it, for a refused run to name: "pid 4242, simplernntorch train, since 14:03:12".
        var owner = $"pid {Environment.ProcessId}, {purpose}, since {DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}";
        try
        {
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.UTF8.GetBytes("#" + owner + "\n"));
            stream.Flush();
        }
        catch (IOException e)
        {
            stream.Dispose();
            throw new OutputFolderException($"'{Excerpt.OfPath(path)}' cannot be written: {AtomicFile.Reason(e)}", FailureKind.Failed);
        }

        HeldHere.Add(key, owner);

        return new OutputFolderLock(folder, stream, key);
    }

    /// <summary>Null when the file is empty or one "#..." line, as runs write it; else what it holds.</summary>
    private static string? NotALockFile(FileStream stream)
    {
        const int MaxLine = 512; // an owner line is ~60 characters
        if (stream.Length > MaxLine)
        {
            return $"{stream.Length:N0} bytes";
        }

        stream.Position = 0;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var newline = Array.IndexOf(bytes, (byte)'\n');
        // The line every version has written: "#pid 4242, simplernntorch train, since 14:03:12". A one-line file that
        // merely starts with '#' (a hard link to someone's note) is not one.
        var line = System.Text.Encoding.UTF8.GetString(bytes).TrimEnd('\n');
        return bytes.Length == 0 || ((newline < 0 || newline == bytes.Length - 1) && System.Text.RegularExpressions.Regex.IsMatch(line, @"^#pid [0-9]+, .*, since [0-9]{2}:[0-9]{2}:[0-9]{2}$"))
            ? null
            : "not a line a run writes";
    }

    private static OutputFolderException Busy(string folder, string option, string holder) =>
        new($"{option} '{Excerpt.OfPath(folder)}' is in use by another run ({holder}); wait for it to finish or choose another folder", FailureKind.Busy);

    [System.Runtime.Versioning.UnsupportedOSPlatform("macos")]
    private static void LockFirstByte(FileStream stream) => stream.Lock(0, 1);

    private static string ReadOwner(FileStream stream)
    {
        try
        {
            stream.Position = 0;
            var text = new StreamReader(stream, leaveOpen: true).ReadToEnd().TrimStart('#').Trim();
            return text.Length > 0 ? text : "a process that has not yet said who it is";
        }
        catch (IOException)
        {
            return "a process that cannot be named";
        }
    }

    /// <summary>Closing the file releases the lock (so does the process's end).</summary>
    public void Dispose()
    {
        lock (HeldHere)
        {
            HeldHere.Remove(key);
        }

        stream.Dispose();
    }
}
