using System.Globalization;

namespace SimpleRnnTorch.Persistence;

/// <summary>A folder a run cannot use: not creatable or writable, or held by another running process.</summary>
internal sealed class OutputFolderException(string message, bool busy = false) : ProgramError(message, busy ? FailureKind.Busy : FailureKind.Input)
{
    /// <summary>True when another process holds the folder: trying again later may work.</summary>
    public bool Busy => Kind == FailureKind.Busy;
}

/// <summary>
/// A run owns its output folder: <see cref="Acquire"/> creates the folder and takes an exclusive lock on
/// the first byte of a hidden file in it, and a second run into the same folder is refused while the
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
        File.Exists(Path.Combine(folder, FileName)) ? Acquire(folder, option, purpose) : null;

    private static OutputFolderLock AcquireSerialised(string folder, string option, string purpose)
    {
        // macOS: .NET has no FileStream.Lock there; an exclusive open (flock) is just as safe, but then a
        // refused run cannot read who holds the folder.
        var byteRange = !OperatingSystem.IsMacOS();
        var key = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        if (HeldHere.TryGetValue(key, out var holderHere))
        {
            throw Busy(folder, option, holderHere);
        }

        FileStream stream;
        try
        {
            Directory.CreateDirectory(folder);
            // Shared open where the lock is the byte range, so that a refused run can still read the owner.
            stream = new FileStream(Path.Combine(folder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite,
                byteRange ? FileShare.ReadWrite | FileShare.Delete : FileShare.None);
        }
        catch (IOException) when (!byteRange && File.Exists(Path.Combine(folder, FileName)))
        {
            throw Busy(folder, option, "another process");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OutputFolderException($"{option} '{folder}' is not a writable folder: {e.Message}");
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

        // Who holds it, for a refused run to name: "pid 4242, simplernntorch train, since 14:03:12".
        var owner = $"pid {Environment.ProcessId}, {purpose}, since {DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}";
        stream.SetLength(0);
        stream.Write(System.Text.Encoding.UTF8.GetBytes("#" + owner + "\n"));
        stream.Flush();
        HeldHere.Add(key, owner);

        return new OutputFolderLock(folder, stream, key);
    }

    private static OutputFolderException Busy(string folder, string option, string holder) =>
        new($"{option} '{folder}' is in use by another run ({holder}); wait for it to finish or choose another folder", busy: true);

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
