namespace SimpleRnnTorch.Common;

/// <summary>
/// Writes a file so that a crash or kill at any moment leaves either the old complete file or the new
/// complete one: write a temporary file in the same folder, rename it over the target (rename within
/// one filesystem is atomic on POSIX and on NTFS). A killed process cannot half-write the target even
/// without fsync; <c>durable</c> also flushes the file, and after the rename its folder, to the disk, which
/// only a power cut needs and which costs milliseconds, too much for a checkpoint after every 8 ms epoch.
/// It never writes through a link: the temporary file is created new (O_EXCL, which refuses a link there),
/// and a link at the target is replaced by the rename, never followed. A failure is
/// <see cref="FailureKind.Failed"/> (an I/O error, exit 1), naming the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>The temporary files' names, for a folder's owner to find those a killed writer left.</summary>
    public const string TemporaryPattern = ".simplernntorch.*.tmp";

    /// <param name="beforeReplace">Runs once the new content is complete (and flushed, when durable), just before it replaces the target.</param>
    /// <exception cref="ProgramError">The file cannot be written; the message names <paramref name="path"/>, never the temporary file.</exception>
    public static void Write(string path, Action<Stream> write, bool durable = true, Action? beforeReplace = null)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        // The temporary name is short whatever the target's: a long target name must fail as itself.
        var temp = Path.Combine(folder, $".simplernntorch.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }

            beforeReplace?.Invoke();
            File.Move(temp, full, overwrite: true);
            if (durable)
            {
                FileLinks.FlushFolder(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProgramError($"'{Excerpt.OfPath(path)}' cannot be written: {Reason(e)}", FailureKind.Failed);
        }
        finally
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing was created, or it cannot be removed either; the target is untouched.
            }
        }
    }

    /// <summary>
    /// What kind of failure a file system error is: the machine's (a full disk, a read-only file system, an
    /// I/O error: <see cref="FailureKind.Failed"/>) or the path's (permission, a missing folder, a file where a
    /// folder should be, a name too long: <see cref="FailureKind.Input"/>), for errors found before a run's first write.
    /// </summary>
    public static FailureKind KindOf(Exception e) =>
        e is IOException { HResult: var h } && (h & 0xFFFF) is 5 or 28 or 30 or 122 ? FailureKind.Failed : FailureKind.Input;

    /// <summary>Why a write failed, without the temporary file's name that the exception's message would carry.</summary>
    public static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the name is too long",
        DirectoryNotFoundException => "its folder does not exist",
        IOException { HResult: var h } when (h & 0xFFFF) is 28 or 122 => "no space left on the device",
        IOException { HResult: var h } when (h & 0xFFFF) == 30 => "the file system is read-only",
        IOException { HResult: var h } when (h & 0xFFFF) == 36 => "the name is too long",
        IOException { HResult: var h } when (h & 0xFFFF) == 21 => "it is a folder",
        _ => "an I/O error",
    };

    public static void WriteAllBytes(string path, byte[] bytes, bool durable = true, Action? beforeReplace = null) =>
        Write(path, s => s.Write(bytes), durable, beforeReplace);

    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
}
