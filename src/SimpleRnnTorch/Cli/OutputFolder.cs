namespace SimpleRnnTorch.Cli;

public static class OutputFolder
{
    /// <summary>Creates the folder if needed and proves it takes a file, or throws a one-line <see cref="UserError"/>.</summary>
    public static void EnsureWritable(string folder, string optionName)
    {
        if (File.Exists(folder))
        {
            throw new UserError($"{optionName} '{folder}' is a file, not a folder");
        }

        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserError($"{optionName} '{folder}' is not a writable folder: {e.Message}");
        }
    }
}
