namespace SimpleRnnTorch.Training;

/// <summary>Keras' History: loss and val_loss per completed epoch.</summary>
internal sealed class TrainingHistory
{
    private readonly List<EpochResult> epochs;

    public TrainingHistory(IEnumerable<EpochResult>? epochs = null) => this.epochs = epochs?.ToList() ?? [];

    public IReadOnlyList<EpochResult> Epochs => epochs;

    public IReadOnlyList<double> Loss => epochs.Select(e => e.Loss).ToList();

    public IReadOnlyList<double> ValidationLoss => epochs.Select(e => e.ValidationLoss ?? double.NaN).ToList();

    public bool HasValidation => epochs.Count > 0 && epochs[0].ValidationLoss is not null;

    /// <summary>
    /// The epoch with the best monitored loss (val_loss, else loss), improvements counted only beyond
    /// MinDelta as Keras does; 0 before any epoch. With early stopping the model ends with its weights.
    /// </summary>
    public int BestEpoch { get; internal set; }

    /// <summary>How the run ended; <see cref="StopReason.Completed"/> until told otherwise.</summary>
    public TrainingStop Stop { get; internal set; } = new(StopReason.Completed, 0, 0);

    internal void Add(EpochResult result) => epochs.Add(result);
}
