using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Training;

/// <summary>
/// What a training job produced: the trained model (with the weights of the last completed epoch, or of
/// the best one with early stopping), its data, the history, the files written, and the predictions and
/// evaluation when training got that far. Owns the model and the data: dispose it.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    public required TrainJob Job { get; init; }

    public required SequenceRegressor Model { get; init; }

    public required LessonDataset Data { get; init; }

    public required SequenceScaler Scaler { get; init; }

    public required Device Device { get; init; }

    public required TrainingHistory History { get; init; }

    /// <summary>Generating, scaling and splitting the data (the benchmark reports it apart from training).</summary>
    public required TimeSpan DataDuration { get; init; }

    /// <summary>What the saved model file says about this run (architecture, data, scaler, settings, history).</summary>
    public required ModelManifest Manifest { get; init; }

    /// <summary>Every file written at the end of the run, in the order written.</summary>
    public IReadOnlyList<string> Written { get; init; } = [];

    /// <summary>One per <see cref="TrainJob.Predict"/> sequence, in original units; empty when training stopped short.</summary>
    public IReadOnlyList<double> Predictions { get; init; } = [];

    /// <summary>One per standard evaluation set; empty when skipped or when training stopped short.</summary>
    public IReadOnlyList<EvaluationResult> Evaluation { get; init; } = [];

    /// <summary>A series run's one-step predictions, baselines and forecast; null for the lesson or when training stopped short.</summary>
    public SeriesOutcome? Series { get; init; }

    /// <summary>The adding task's test MSE beside the constant guess's; null for the arithmetic task, when skipped or stopped short.</summary>
    public AddingScore? AddingScore { get; init; }

    /// <summary>True when the run ended as planned: all epochs, or an early stop with the best weights restored.</summary>
    public bool Finished => History.Stop.Reason is StopReason.Completed or StopReason.EarlyStopped;

    public void Dispose()
    {
        Model.Dispose();
        Data.Dispose();
    }
}
