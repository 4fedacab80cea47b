using System.Text.Json;
using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// A training run's hold on its folders: the output folder and, when the model is saved elsewhere, the
/// model's folder too, each locked (<see cref="OutputFolderLock"/>) from before the first file is written
/// until the run ends.
/// <para>
/// A folder holds one run, and a run removes only what a run recorded: each folder keeps a record of its
/// run's files (<see cref="RecordFileName"/>, replaced atomically), and a new run removes the files the
/// record names, never a file by its name alone. A file at one of this run's paths that no run recorded (a
/// user's own history.csv) is refused when the folder is opened, before any work, and left as it is.
/// </para>
/// <para>
/// The order keeps a model on the disk at every moment: before its first file the run records the previous
/// run's files together with its own (<see cref="BeginWriting"/>); its first file (the first epoch's
/// checkpoint, flushed to the disk) is written in full under a temporary name; then the previous run's files
/// but its model are removed, the checkpoint replaces the old model (a rename), and only then is an old model
/// at another path removed, and the record names this run's files alone (<see cref="ClearPrevious"/>; see
/// <see cref="CheckpointWriter"/>). A run that stops before (a bad series, a NaN in the first epoch, Ctrl-C,
/// a full disk) leaves the earlier run whole; a run killed after leaves its own files, and its model's
/// manifest says "running" until the final save. With --no-save the history is the first file.
/// </para>
/// <para>
/// A folder with no record but a lock file, and a model in it that reads as this program's, holds a run that
/// kept no record: the names such a run writes (<see cref="RunFiles.Legacy"/>) are its files. Any other folder without a record holds no run's files.
/// </para>
/// </summary>
internal sealed class RunFolder : IDisposable
{
    public const string Purpose = "simplernntorch train";

    /// <summary>The record of the run's files in each of its folders.</summary>
    public const string RecordFileName = ".simplernntorch.run.json";

    private const string RecordFormat = "simplernntorch-run-files";
    private const long MaxRecordBytes = 1 << 20;

    private readonly List<OutputFolderLock> locks = [];
    private readonly List<Held> held = [];
    private readonly RunFiles files;
    private bool begun;
    private bool clearedOthers;
    private bool cleared;

    private RunFolder(RunFiles files) => this.files = files;

    /// <summary>One folder of the run: its path with links resolved, this run's file names (and model's) in it, and those its record names.</summary>
    private sealed record Held(string Folder, IReadOnlyList<string> Names, IReadOnlyList<string> Models, Record? Previous)
    {
        public IReadOnlyList<string> PreviousFiles => Previous?.Files ?? [];
    }

    /// <summary>Locks the run's folders and reads what earlier runs recorded there.</summary>
    /// <exception cref="OutputFolderException">A folder is held, cannot be used, or holds a file at one of this run's paths that no run recorded.</exception>
    public static RunFolder Open(RunFiles files)
    {
        var result = new RunFolder(files);
        try
        {
            var folders = files.Folders;
            for (var i = 0; i < folders.Count; i++)
            {
                var label = i == 0 ? files.FolderLabel : files.ModelLabel;
                var hadLock = FileLinks.Exists(Path.Combine(folders[i], OutputFolderLock.FileName));
                result.locks.Add(OutputFolderLock.Acquire(i == 0 ? files.Folder : folders[i], label, Purpose));
                var names = RunFiles.NamesIn(folders[i], files.All);
                var models = files.ModelPath is { } model ? RunFiles.NamesIn(folders[i], [model]) : [];
                var previous = ReadRecord(folders[i], label) ?? (hadLock ? RunWithoutRecord(folders[i], files) : null);
                result.held.Add(new Held(folders[i], names, models, previous));
            }

            result.RefuseUnrecorded();
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Before the run's first file: the record names the previous run's files and this run's, so that a
    /// run killed from here on leaves a folder whose next run removes both. Once; durable.
    /// </summary>
    /// <exception cref="ProgramError">The record cannot be written (a full disk): nothing was changed.</exception>
    public void BeginWriting()
    {
        if (begun)
        {
            return;
        }

        foreach (var folder in held)
        {
            WriteRecord(folder.Folder, new Record(RecordFormat, 1, [.. folder.PreviousFiles.Union(folder.Names, RunFiles.PathComparer)],
                [.. (folder.Previous?.Models ?? []).Union(folder.Models, RunFiles.PathComparer)]));
        }

        begun = true;
    }

    /// <summary>
    /// Removes the previous run's files but <paramref name="written"/> (this run's, written or about to
    /// replace theirs) and, with <paramref name="keepModels"/>, its models; without it, also the temporary
    /// files of killed writers, and the record then names this run's files alone. Each step once; the folders
    /// are held, so no running process owns them.
    /// </summary>
    /// <exception cref="ProgramError">A file cannot be removed; the message names it.</exception>
    public void ClearPrevious(IReadOnlyCollection<string> written, bool keepModels = false)
    {
        if (cleared || (keepModels && clearedOthers))
        {
            return;
        }

        BeginWriting();
        foreach (var folder in held)
        {
            var keep = RunFiles.NamesIn(folder.Folder, written).Concat(keepModels ? folder.Previous?.Models ?? [] : []);
            foreach (var name in folder.PreviousFiles.Except(keep, RunFiles.PathComparer))
            {
                var path = Path.Combine(folder.Folder, name);
                try
                {
                    File.Delete(path); // no error when it does not exist; a link is removed, never what it names
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ProgramError($"'{Excerpt.OfPath(path)}', a previous run's file, cannot be removed ({e.GetType().Name}); " +
                                           "this run would mix its files with it", FailureKind.Failed);
                }
            }

            if (keepModels)
            {
                continue;
            }

            // Temporary files of killed writers (AtomicFile's): no live process writes here while the folders are held.
            foreach (var temporary in Directory.EnumerateFiles(folder.Folder, AtomicFile.TemporaryPattern))
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

            WriteRecord(folder.Folder, new Record(RecordFormat, 1, [.. folder.Names], [.. folder.Models]));
        }

        clearedOthers = true;
        cleared = !keepModels;
    }

    public void Dispose()
    {
        foreach (var folderLock in locks)
        {
            folderLock.Dispose();
        }
    }

    /// <summary>What a folder's record lists, or null when it has none.</summary>
    /// <exception cref="OutputFolderException">The record is a link, not a regular file, too large or not a record.</exception>
    internal static Record? ReadRecord(string folder, string label)
    {
        var path = Path.Combine(folder, RecordFileName);
        switch (FileLinks.Kind(path))
        {
            case FileLinks.EntryKind.None:
                return null;
            case FileLinks.EntryKind.Regular:
                break;
            default:
                throw Unusable(path, label, "it is not a regular file (a link, a folder or a device), which no run writes");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxRecordBytes)
            {
                throw Unusable(path, label, $"it is {stream.Length:N0} bytes, more than a record is");
            }

            var record = JsonSerializer.Deserialize<Record>(stream, ModelFile.Json);
            if (record is not { Format: RecordFormat, Files: { } names })
            {
                throw Unusable(path, label, "it is not a record a run wrote");
            }

            // Only plain names in this folder: a record that names "../x" or the lock file removes nothing.
            static bool Plain(string? n) => !string.IsNullOrEmpty(n) && n is not "." and not ".." && Path.GetFileName(n) == n
                                            && n.IndexOfAny(['/', '\\']) < 0 && n is not OutputFolderLock.FileName and not RecordFileName;

            // And only names a run writes: its fixed files, and models (.safetensors) with their .pt and .onnx exports.
            // A forged record that names anything else (important.txt) removes nothing of it.
            static bool RunName(string n) => RunFiles.RunFileNames.Contains(n, RunFiles.PathComparer)
                                              || Path.GetExtension(n) is ".safetensors" or ".pt" or ".onnx";
            return record with { Files = [.. names.Where(Plain).Where(n => RunName(n!))], Models = [.. (record.Models ?? []).Where(Plain).Where(n => RunName(n!))] };
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw Unusable(path, label, "it is not a record a run wrote");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unusable(path, label, $"it cannot be read ({e.Message.Split('\n')[0].Trim()})");
        }
    }

    /// <summary>Records the folder's run's files (atomic, durable).</summary>
    private static void WriteRecord(string folder, Record record) =>
        AtomicFile.WriteAllText(Path.Combine(folder, RecordFileName), JsonSerializer.Serialize(record, ModelFile.Json));

    private static OutputFolderException Unusable(string path, string label, string why) =>
        new($"{label}: '{Excerpt.OfPath(path)}', the record of a run's files, cannot be used: {why}; remove it (and the run's files, which are then no run's)",
            FailureKind.Input);

    /// <summary>
    /// The run's files in a folder that has a lock file but no record (the caller asks): the names a run that
    /// keeps no record writes (<see cref="RunFiles.Legacy"/>), when a model in it (the default one, or this
    /// run's) reads as this program's; else null, the folder holds no run's files.
    /// </summary>
    private static Record? RunWithoutRecord(string folder, RunFiles files)
    {
        IEnumerable<string> candidates = [RunFiles.DefaultModelPath(folder), .. files.ModelPath is { } m ? [m] : Array.Empty<string>()];
        var models = new List<string>();
        foreach (var model in RunFiles.NamesIn(folder, candidates).Select(n => Path.Combine(folder, n)))
        {
            if (FileLinks.Kind(model) != FileLinks.EntryKind.Regular)
            {
                continue;
            }

            try
            {
                _ = ModelFile.ReadManifest(model);
                models.Add(Path.GetFileName(model));
            }
            catch (ProgramError)
            {
                // Not a model of this program's.
            }
        }

        return models.Count == 0 ? null : new Record(RecordFormat, 0, [.. RunFiles.NamesIn(folder, files.Legacy)], [.. models]);
    }

    /// <summary>A file already at one of this run's paths that no run recorded is the user's: refused, never replaced.</summary>
    private void RefuseUnrecorded()
    {
        foreach (var (folder, index) in held.Select((f, i) => (f, i)))
        {
            foreach (var name in folder.Names.Except(folder.PreviousFiles, RunFiles.PathComparer))
            {
                var path = Path.Combine(folder.Folder, name);
                if (FileLinks.Exists(path))
                {
                    var given = files.All.FirstOrDefault(p => RunFiles.PathComparer.Equals(Path.GetFileName(p), name) && RunFiles.PathComparer.Equals(RunFiles.FolderOf(p), folder.Folder)) ?? path;
                    // The model's own folder (held after the output's) is --save's choice, as the model file is.
                    var isModel = index > 0 || (files.ModelPath is { } model && RunFiles.PathComparer.Equals(given, model));
                    throw new OutputFolderException(
                        $"'{Excerpt.OfPath(given)}' already exists and no run recorded writing it; this run would replace it: " +
                        $"move it away or choose another {(isModel ? files.ModelLabel : files.FolderLabel)}", FailureKind.Input);
                }
            }
        }
    }

    /// <summary>The record's JSON: {"format": "simplernntorch-run-files", "version": 1, "files": [names], "models": [names]}.</summary>
    internal sealed record Record(string Format, int Version, string[] Files, string[]? Models);
}
