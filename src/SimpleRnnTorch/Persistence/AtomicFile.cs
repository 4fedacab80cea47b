namespace SimpleRnnTorch.Persistence;

/// <summary>
/// Writes a file so that a crash or kill at any moment leaves either the old complete file or the new
/// complete one: write a temporary file in the same folder, rename it over the target (rename within
/// one filesystem is atomic on POSIX and on NTFS). A killed process cannot half-write the target even
/// without fsync; <c>durable</c> also flushes to the disk first, which only a power cut needs and which
/// costs milliseconds, too much for a checkpoint after every 8 ms epoch.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write, bool durable = true)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes, bool durable = true) => Write(path, s => s.Write(bytes), durable);

    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
}
