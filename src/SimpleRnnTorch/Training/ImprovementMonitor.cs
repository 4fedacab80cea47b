namespace SimpleRnnTorch.Training;

/// <summary>
/// Keras' "improvement": a monitored loss below the best so far by more than min_delta. Early stopping,
/// the best epoch and the plateau schedule all count epochs by the same test.
/// </summary>
internal sealed class ImprovementMonitor(double minDelta)
{
    public double Best { get; private set; } = double.PositiveInfinity;

    /// <summary>Records one epoch's monitored loss; true when it improved on the best.</summary>
    public bool Improved(double monitored)
    {
        if (monitored < Best - minDelta)
        {
            Best = monitored;
            return true;
        }

        return false;
    }
}

/// <summary>
/// Keras' ReduceLROnPlateau: after <see cref="TrainingConfig.PlateauPatience"/> epochs in a row without
/// improvement, multiply the rate by <see cref="TrainingConfig.PlateauFactor"/> and start counting again.
/// <para>
/// Why not TorchSharp's lr_scheduler.ReduceLROnPlateau: it gives the same rates (a test checks it)
/// only with patience − 1 and threshold_mode "abs", because PyTorch cuts after more than `patience`
/// bad epochs where Keras cuts after `patience`; and it would keep its own idea of "best", where here
/// one <see cref="ImprovementMonitor"/> serves early stopping and the schedule alike.
/// </para>
/// </summary>
internal sealed class PlateauSchedule(TrainingConfig config)
{
    private int sinceCut;

    public double Rate { get; private set; } = config.LearningRate;

    /// <summary>After an epoch: count it, and cut the rate for the next one when patience runs out.</summary>
    public void AfterEpoch(bool improved)
    {
        sinceCut = improved ? 0 : sinceCut + 1;
        if (sinceCut >= config.PlateauPatience)
        {
            Rate *= config.PlateauFactor;
            sinceCut = 0;
        }
    }
}
