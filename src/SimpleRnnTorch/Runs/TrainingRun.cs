using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Runs;

/// <summary>
/// What a training job produced: the trained model (with the weights of the last completed epoch, or of
/// the best one with early stopping), its data, the history, the files written, and the predictions and
/// the source's evaluation when training got that far. Owns the model and the data: dispose it.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    public required TrainJob Job { get; init; }

    public required SequenceRegressor Model { get; init; }

    public required PreparedData Data { get; init; }

    public SequenceScaler Scaler => Data.Scaler;

    public required Device Device { get; init; }

    public required TrainingHistory History { get; init; }

    /// <summary>Making or reading, scaling and splitting the data (the benchmark reports it apart from training).</summary>
    public TimeSpan DataDuration => Data.Duration;

    /// <summary>What the saved model file says about this run (architecture, data, scaler, settings, history).</summary>
    public required ModelManifest Manifest { get; init; }

    /// <summary>Every file written at the end of the run, in the order written.</summary>
    public IReadOnlyList<string> Written { get; init; } = [];

    /// <summary>One per <see cref="TrainJob.Predict"/> sequence, in original units; empty when training stopped short.</summary>
    public IReadOnlyList<double> Predictions { get; init; } = [];

    /// <summary>The source's evaluation; null when it has none or training stopped short.</summary>
    public DataOutcome? Outcome { get; init; }

    /// <summary>A signal stopped the source's evaluation: the model was kept without it (<see cref="Outcome"/> is null).</summary>
    public bool EvaluationStopped { get; init; }

    /// <summary>True when the run ended as planned: all epochs, or an early stop with the best weights restored.</summary>
    public bool Finished => History.Stop.Reason is StopReason.Completed or StopReason.EarlyStopped;

    public void Dispose()
    {
        Model.Dispose();
        Data.Dispose();
    }
}
