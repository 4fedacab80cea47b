using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// Everything needed to use saved weights again without repeating a flag: the architecture, the
/// sequences it was trained on (time steps among them), the scaler, the training settings and history.
/// Stored as JSON in the safetensors header's __metadata__, so the weights file stays one file.
/// The scaler is (x − <see cref="ScaleOffset"/>) / <see cref="ScaleDivisor"/>; a manifest without an
/// offset in its JSON loads with 0, the lesson's. A model trained on a CSV series
/// also names its source (<see cref="Series"/>).
/// </summary>
internal sealed record ModelManifest(
    ModelSpec Model,
    SequenceSpec Data,
    double ScaleDivisor,
    TrainingConfig Training,
    IReadOnlyList<EpochResult> History,
    string StoppedBy,
    string CreatedBy,
    double ScaleOffset = 0,
    SeriesOrigin? Series = null,
    SequenceTask Task = SequenceTask.Arithmetic,
    ScalingKind Scaling = ScalingKind.Global,
    int ScaleLag = 0,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    double? ScaleFloor = null)
{
    public int TimeSteps => Data.TimeSteps;

    /// <summary>Values per sequence a caller gives: time steps × the task's features (value and marker for the adding task).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int SequenceLength => Data.TimeSteps * Model.InputSize;

    public SequenceScaler Scaler => SequenceScaler.Of(Scaling, ScaleDivisor, ScaleOffset, ScaleLag, ScaleFloor);

    public static string Producer { get; } =
        $"SimpleRnnTorch {typeof(ModelManifest).Assembly.GetName().Version?.ToString(3)}, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3)}";
}

/// <summary>Where a series model's data came from: the file, the column, its length, and how it was scaled.</summary>
/// <param name="Interval">The forecast's interval as the run's backtest measured it: the level and the offsets added to the forecast at each step; null for models saved without one.</param>
internal sealed record SeriesOrigin(string File, string Column, int Values, int TrainingValues, string Scaling, SavedInterval? Interval = null)
{
    /// <summary>The exponential smoothing the forecast combines the network with; absent from the JSON (and the model's forecast the network's alone) when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public SimpleRnnTorch.Inference.SmoothingCombination? Smoothing { get; init; }
}

/// <summary>A forecast interval as a model keeps it: its level, and at each step h the offsets added to the point forecast.</summary>
internal sealed record SavedInterval(double Level, double[] Lower, double[] Upper)
{
    /// <summary>True when the offsets are in spreads of the forecast's first window (a panel's model, <see cref="Scaling.SpreadScaler"/>); absent from the JSON when false.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool PerSpread { get; init; }
}
