using SimpleRnnTorch.Reporting;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// The one list of the files a training run writes: the history, the loss plot, the model with its .pt and
/// .onnx exports (unless the model is not saved), and the files of its data source (predictions.png,
/// forecast.png). The pipeline writes them from here, the summary names them from here, and the command
/// line checks its paths against them (a --data or --save that would be overwritten by the run).
/// </summary>
internal sealed record RunFiles(string Folder, string? ModelPath, IReadOnlyList<string> SourceFileNames)
{
    public const string ModelFileName = "model.safetensors";

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
}
