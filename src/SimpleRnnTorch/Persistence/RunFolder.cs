namespace SimpleRnnTorch.Persistence;

/// <summary>
/// A training run's hold on its folders: the output folder and, when the model is saved elsewhere, the
/// model's folder too, each locked (<see cref="OutputFolderLock"/>) from before the first file is written
/// until the run ends.
/// </summary>
internal sealed class RunFolder : IDisposable
{
    public const string Purpose = "simplernntorch train";

    private readonly List<OutputFolderLock> locks = [];

    private RunFolder()
    {
    }

    public static RunFolder Open(RunFiles files)
    {
        var result = new RunFolder();
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

    public void Dispose()
    {
        foreach (var folderLock in locks)
        {
            folderLock.Dispose();
        }
    }
}
