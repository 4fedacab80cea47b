namespace SimpleRnnTorch.Persistence;

/// <summary>
/// A training run's hold on its folders: the output folder and, when the model is saved elsewhere, the
/// model's folder too, each locked (<see cref="OutputFolderLock"/>) from before the first file is written
/// until the run ends.
/// <para>
/// A folder holds one run: just before the run writes its first file (the first epoch's checkpoint, or
/// the history when the model is not saved) it removes every file a previous run may have left there
/// (<see cref="RunFiles.Previous"/>). A run that stops before that (a bad series, a NaN in the first
/// epoch, Ctrl-C) leaves the earlier run whole; a run killed after it leaves only its own files, and its
/// model's manifest says "running" until the final save.
/// </para>
/// </summary>
internal sealed class RunFolder : IDisposable
{
    public const string Purpose = "simplernntorch train";

    private readonly List<OutputFolderLock> locks = [];
    private readonly RunFiles files;
    private bool cleared;

    private RunFolder(RunFiles files) => this.files = files;

    public static RunFolder Open(RunFiles files)
    {
        var result = new RunFolder(files);
        try
        {
            result.locks.Add(OutputFolderLock.Acquire(files.Folder, files.FolderLabel, Purpose));
            if (files.ModelPath is { } model && Path.GetDirectoryName(Path.GetFullPath(model)) is { } modelFolder
                && !string.Equals(Path.GetFullPath(files.Folder).TrimEnd(Path.DirectorySeparatorChar), modelFolder, StringComparison.Ordinal))
            {
                result.locks.Add(OutputFolderLock.Acquire(modelFolder, files.ModelLabel, Purpose));
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Removes the earlier run's files, the first time it is called; the folders are held, so no running process owns them.</summary>
    /// <exception cref="ProgramError">A file cannot be removed; the message names it.</exception>
    public void ClearPrevious()
    {
        if (cleared)
        {
            return;
        }

        foreach (var path in files.Previous)
        {
            try
            {
                File.Delete(path); // no error when it does not exist
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ProgramError($"'{Excerpt.OfPath(path)}', a previous run's file, cannot be removed ({e.GetType().Name}); " +
                                       "this run would mix its files with it", FailureKind.Failed);
            }
        }

        // Temporary files of killed writers (AtomicFile's): no live process writes here while the folders are held.
        foreach (var folderLock in locks)
        {
            foreach (var temporary in Directory.EnumerateFiles(folderLock.Folder, AtomicFile.TemporaryPattern))
            {
                try
                {
                    File.Delete(temporary);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Litter, not a run's file: it stays.
                }
            }
        }

        cleared = true;
    }

    public void Dispose()
    {
        foreach (var folderLock in locks)
        {
            folderLock.Dispose();
        }
    }
}
