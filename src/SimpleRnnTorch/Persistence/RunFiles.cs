using SimpleRnnTorch.Data;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// The one list of the files a training run writes: the history, the loss plot, the model with its .pt and
/// .onnx exports (unless the model is not saved), and the files of its data source (predictions.png,
/// forecast.png). The pipeline writes them from here, the summary names them from here, the command
/// line checks its paths against them (a --data or --save that would be overwritten by the run), and a
/// run removes the previous run's files from here (<see cref="Previous"/>), so that a folder holds one run.
/// </summary>
internal sealed record RunFiles(string Folder, string? ModelPath, IReadOnlyList<string> SourceFileNames)
{
    public const string ModelFileName = "model.safetensors";

    /// <summary>Every name a data source may write into a run's folder, from the sources' own lists.</summary>
    public static IReadOnlyList<string> AnySourceFileNames { get; } =
    [
        .. new DataSource[] { new LessonData(new SequenceSpec(), EvalCount: 1), new AddingData(EvalCount: 1), new SeriesData(new SeriesSettings("")) }
            .SelectMany(s => s.FileNames).Distinct(),
    ];

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
    /// What a run removes before it writes its first file: this run's files (<see cref="All"/>) and those any
    /// earlier run into the folder may have left, whatever its source or model option: every source's files
    /// and the default model with its exports. After that, everything of a run in the folder is this run's.
    /// </summary>
    public IReadOnlyList<string> Previous => [.. Claimed.Where(c => c.Removed).Select(c => c.Path)];

    /// <summary>
    /// Why this run's paths cannot work, or null: two of its files would be one file (--save onto
    /// history.csv), or <paramref name="readPath"/>, a file it reads (named <paramref name="readLabel"/>), is
    /// one that it writes or removes. Found without touching the disk.
    /// </summary>
    public string? Clash(string? readPath = null, string readLabel = "--data")
    {
        var seen = new Dictionary<string, string>(PathComparer);
        foreach (var (path, name, _) in Claimed)
        {
            var full = System.IO.Path.GetFullPath(path);
            if (readPath is not null && PathComparer.Equals(full, System.IO.Path.GetFullPath(readPath)))
            {
                return $"{readLabel} '{Excerpt.OfPath(readPath)}' is {name}, a file this run writes or removes; copy the data elsewhere or choose another {FolderLabel}";
            }

            if (!seen.TryAdd(full, name))
            {
                var other = seen[full] == ModelLabel ? name : seen[full];
                return ModelPath is not null && PathComparer.Equals(full, System.IO.Path.GetFullPath(ModelPath))
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

            yield return (System.IO.Path.Combine(Folder, OutputFolderLock.FileName), "the folder's lock file", false);
            var defaultModel = ArtifactPlan.DefaultModelPath(Folder);
            foreach (var path in new[] { defaultModel, PyTorchExport.PathBeside(defaultModel), OnnxExport.PathBeside(defaultModel) })
            {
                if (!model.Any(m => PathComparer.Equals(System.IO.Path.GetFullPath(m), System.IO.Path.GetFullPath(path))))
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

    private static StringComparer PathComparer => OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
}
