using SimpleRnnTorch.Common;
using SimpleRnnTorch.Reporting;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// The one list of the files a training run writes: the history, the loss plot, the model with its .pt and
/// .onnx exports (unless the model is not saved), and the files of its data source (predictions.png,
/// forecast.png). The pipeline writes them from here, the summary names them from here, the command
/// line checks its paths against them (a --data or --save that would be overwritten by the run), and the
/// run records them in its folders (<see cref="RunFolder"/>), so that the next run removes exactly these.
/// </summary>
internal sealed record RunFiles(string Folder, string? ModelPath, IReadOnlyList<string> SourceFileNames)
{
    public const string ModelFileName = "model.safetensors";

    /// <summary>The model file a run into <paramref name="folder"/> saves unless told otherwise.</summary>
    public static string DefaultModelPath(string folder) => System.IO.Path.Combine(folder, ModelFileName);

    /// <summary>
    /// Every name a data source wrote into a run's folder before runs kept a record of their files: the lesson's
    /// predictions.png and a series' forecast.png and forecast.csv. A fixed list: it describes folders already written.
    /// </summary>
    public static IReadOnlyList<string> AnySourceFileNames { get; } = ["predictions.png", "forecast.png", "forecast.csv"];

    /// <summary>Every fixed name a run writes (its models aside): what a run's record may name for removal.</summary>
    public static IReadOnlyList<string> RunFileNames { get; } = [HistoryCsv.FileName, Reporting.LossPlot.FileName, .. AnySourceFileNames];

    /// <summary>How messages name the folder (the command line says "--output").</summary>
    public string FolderLabel { get; init; } = "the output folder";

    /// <summary>How messages name the model file (the command line says "--save").</summary>
    public string ModelLabel { get; init; } = "the model file";

    public string History => System.IO.Path.Combine(Folder, HistoryCsv.FileName);

    public string LossPlot => System.IO.Path.Combine(Folder, Reporting.LossPlot.FileName);

    public string? PyTorch => ModelPath is null ? null : PyTorchExport.PathBeside(ModelPath);

    public string? Onnx => ModelPath is null ? null : OnnxExport.PathBeside(ModelPath);

    /// <summary>Where the source's file <paramref name="name"/> goes; null when the source does not write it.</summary>
    public string? Path(string name) => SourceFileNames.Contains(name) ? System.IO.Path.Combine(Folder, name) : null;

    /// <summary>Every file, in the order a finished run writes them.</summary>
    public IReadOnlyList<string> All =>
    [
        History, LossPlot,
        .. ModelPath is null ? Array.Empty<string>() : [ModelPath, PyTorch!, Onnx!],
        .. SourceFileNames.Select(n => System.IO.Path.Combine(Folder, n)),
    ];

    /// <summary>
    /// The files a run of a version that kept no record (<see cref="RunFolder"/>) may have left in this run's
    /// folders: this run's files (<see cref="All"/>) and every source's files and the default model with its
    /// exports. Only for a folder that such a run is known to have used.
    /// </summary>
    public IReadOnlyList<string> Legacy => [.. Claimed.Where(c => c.Removed).Select(c => c.Path)];

    /// <summary>The folders this run writes into, with their links resolved: the output folder, then the model's when it is elsewhere.</summary>
    public IReadOnlyList<string> Folders =>
    [
        .. new[] { Folder }.Concat(ModelPath is null ? [] : [System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(ModelPath))!])
            .Select(f => FileLinks.Resolve(f).TrimEnd(System.IO.Path.DirectorySeparatorChar)).Distinct(PathComparer),
    ];

    /// <summary>The names of <paramref name="paths"/> that lie in <paramref name="folder"/> (one of <see cref="Folders"/>).</summary>
    public static IReadOnlyList<string> NamesIn(string folder, IEnumerable<string> paths) =>
    [
        .. paths.Where(p => PathComparer.Equals(FolderOf(p), folder)).Select(p => System.IO.Path.GetFileName(p)).Distinct(PathComparer),
    ];

    /// <summary>The folder a file is in, with its links resolved; the file's own name is not (a link there is the file).</summary>
    public static string FolderOf(string path) =>
        FileLinks.Resolve(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!).TrimEnd(System.IO.Path.DirectorySeparatorChar);

    /// <summary>
    /// Why this run's paths cannot work, or null: two of its files would be one file (--save onto
    /// history.csv), or <paramref name="readPath"/>, a file it reads (named <paramref name="readLabel"/>), is
    /// one that it writes or removes. Paths are compared with their links resolved: "alias/data.csv", where
    /// alias is a link to the output folder, is the output folder's data.csv. Writes nothing.
    /// </summary>
    public string? Clash(string? readPath = null, string readLabel = "--data")
    {
        var seen = new Dictionary<string, string>(PathComparer);
        var read = readPath is null ? null : FileLinks.Resolve(readPath);
        foreach (var (path, name, _) in Claimed)
        {
            var full = FileLinks.Resolve(path);
            if (read is not null && PathComparer.Equals(full, read))
            {
                return $"{readLabel} '{Excerpt.OfPath(readPath!)}' is {name}, a file this run writes or removes; copy the data elsewhere or choose another " +
                       (name == ModelLabel && ModelPath is { } model && !PathComparer.Equals(FileLinks.Resolve(model), FileLinks.Resolve(DefaultModelPath(Folder))) ? ModelLabel : FolderLabel);
            }

            if (!seen.TryAdd(full, name))
            {
                var other = seen[full] == ModelLabel ? name : seen[full];
                return ModelPath is not null && PathComparer.Equals(full, FileLinks.Resolve(ModelPath))
                    ? $"{ModelLabel} '{Excerpt.OfPath(ModelPath)}' is {other}, a file this run writes or removes; give another name, such as {ModelFileName}"
                    : $"{seen[full]} and {name} would be the same file '{Excerpt.OfPath(path)}'; choose another {ModelLabel}";
            }
        }

        return null;
    }

    /// <summary>
    /// Every path this run writes (each once), the folder's lock file, and the earlier runs' files it removes
    /// that are not its own; each with how a message names it and whether it is removed when the run starts.
    /// </summary>
    private IEnumerable<(string Path, string Name, bool Removed)> Claimed
    {
        get
        {
            yield return (History, HistoryCsv.FileName, true);
            yield return (LossPlot, Reporting.LossPlot.FileName, true);
            IReadOnlyList<string> model = ModelPath is null ? [] : [ModelPath, PyTorch!, Onnx!];
            if (ModelPath is not null)
            {
                yield return (ModelPath, ModelLabel, true);
                yield return (PyTorch!, "the model's .pt export", true);
                yield return (Onnx!, "the model's .onnx export", true);
            }

            foreach (var name in SourceFileNames)
            {
                yield return (System.IO.Path.Combine(Folder, name), name, true);
            }

            foreach (var folder in Folders)
            {
                yield return (System.IO.Path.Combine(folder, OutputFolderLock.FileName), "the folder's lock file", false);
                yield return (System.IO.Path.Combine(folder, RunFolder.RecordFileName), "the folder's record of its run's files", false);
            }

            var defaultModel = DefaultModelPath(Folder);
            foreach (var path in new[] { defaultModel, PyTorchExport.PathBeside(defaultModel), OnnxExport.PathBeside(defaultModel) })
            {
                if (!model.Any(m => PathComparer.Equals(FileLinks.Resolve(m), FileLinks.Resolve(path))))
                {
                    yield return (path, $"{System.IO.Path.GetFileName(path)} (a previous run's model, which this run removes)", true);
                }
            }

            foreach (var name in AnySourceFileNames.Except(SourceFileNames))
            {
                yield return (System.IO.Path.Combine(Folder, name), $"{name} (a previous run's, which this run removes)", true);
            }
        }
    }

    public static StringComparer PathComparer => OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
}
