using SimpleRnnTorch.Model;

namespace SimpleRnnTorch.Training;

/// <summary>
/// How to fit a model. Every default of training lives here and nowhere else: the command line shows
/// and uses these values. They are the program's (docs/results.md: why not the lesson's 0.001, constant).
/// </summary>
internal sealed record TrainingConfig
{
    /// <summary>The lesson's own optimiser: Adam at Keras' default rate 0.001, constant (`--lesson`).</summary>
    public static TrainingConfig Lesson { get; } = new() { LearningRate = 0.001, Schedule = LearningRateSchedule.Constant };

    /// <summary>
    /// The most epochs a run may ask for: each epoch's record lands in the saved model's header, which a loader
    /// reads only up to 16 MiB (Persistence/ModelFile); 50,000 records stay well inside it (ModelFileTests).
    /// </summary>
    public const int MaxEpochs = 50_000;

    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// The most optimiser steps an epoch takes; null for no limit. Where the training part holds more samples than
    /// <see cref="BatchSize"/> × this, the batch grows to ⌈samples / this⌉ (<see cref="For"/>), so that a long series
    /// costs a bounded number of steps an epoch, as a short one does.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxStepsPerEpoch
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxStepsPerEpoch), value, "at least 1");
    }

    /// <summary>
    /// The most training samples an epoch sees; null for all. Where the training part holds more, every epoch takes this many
    /// from the start of its fresh shuffle, so the whole part is drawn from over the epochs while an epoch's time and the
    /// batch (with <see cref="MaxStepsPerEpoch"/>) stay bounded: a series of millions of values trains in the memory one of
    /// about this many does. <see cref="For"/> keeps it only where it binds.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxSamplesPerEpoch
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSamplesPerEpoch), value, "at least 1");
    }

    /// <summary>
    /// The most validation samples the loss after each epoch is computed on; null for all. Where the validation part holds
    /// more, the same evenly spaced ones every epoch (the first, then about every k-th, to its end), so that early stopping
    /// compares like with like and an epoch of a series of millions of values does not predict all of its validation part
    /// (which took most of such an epoch). <see cref="For"/> keeps it only where it binds.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxValidationSamples
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxValidationSamples), value, "at least 1");
    }

    /// <summary>The rows of a validation part of <paramref name="validationSamples"/> the loss is computed on (<see cref="MaxValidationSamples"/>): null for all of them, else evenly spaced from the first.</summary>
    public long[]? ValidationRows(long validationSamples) => MaxValidationSamples is { } most && validationSamples > most
        ? [.. Enumerable.Range(0, most).Select(i => (long)((double)i * validationSamples / most))]
        : null;

    /// <summary>The samples an epoch of a training part of <paramref name="trainingSamples"/> sees (<see cref="MaxSamplesPerEpoch"/>).</summary>
    public long SamplesPerEpoch(long trainingSamples) => MaxSamplesPerEpoch is { } most ? Math.Min(trainingSamples, most) : trainingSamples;

    /// <summary>Fraction of samples, taken from the end, held out for validation (Keras' validation_split).</summary>
    public double ValidationSplit { get; init; } = 0.2;

    public double LearningRate { get; init; } = 0.1;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>Seeds the data, the weights and the per-epoch shuffle.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>How the weights start: PyTorch's defaults or Keras' initialisers.</summary>
    public WeightInit Init { get; init; } = WeightInit.Torch;

    /// <summary>
    /// Early stopping (Keras' EarlyStopping(restore_best_weights=True)): stop after this many epochs
    /// without an improvement of the validation loss (the training loss without validation) by more than
    /// <see cref="MinDelta"/>, and end with the best epoch's weights. 0 turns it off.
    /// </summary>
    public int Patience { get; init; }

    public double MinDelta { get; init; }

    /// <summary>For <see cref="LearningRateSchedule.Plateau"/>: epochs without improvement before the rate is cut.</summary>
    public int PlateauPatience { get; init; } = 5;

    /// <summary>For <see cref="LearningRateSchedule.Plateau"/>: the factor each cut multiplies the rate by.</summary>
    public double PlateauFactor { get; init; } = 0.5;

    /// <summary>The batch for <paramref name="trainingSamples"/>: <see cref="BatchSize"/>, grown where an epoch (of at most <see cref="MaxSamplesPerEpoch"/>) would pass <see cref="MaxStepsPerEpoch"/> steps.</summary>
    public int BatchFor(long trainingSamples)
    {
        var epoch = SamplesPerEpoch(trainingSamples);
        return MaxStepsPerEpoch is { } steps && epoch > (long)BatchSize * steps
            ? (int)Math.Min(int.MaxValue, (epoch + steps - 1) / steps)
            : BatchSize;
    }

    /// <summary>This config with the batch it trains <paramref name="trainingSamples"/> with (<see cref="BatchFor"/>) and the samples caps only where they bind: what the trainer and the model file see.</summary>
    /// <param name="dataSamplesPerEpoch">The data's own cap on an epoch (a panel's pool of windows), where it is below <see cref="MaxSamplesPerEpoch"/>.</param>
    public TrainingConfig For(long trainingSamples, long validationSamples, int? dataSamplesPerEpoch = null)
    {
        // The lower of the two caps (either may be none).
        var capped = this with { MaxSamplesPerEpoch = (MaxSamplesPerEpoch, dataSamplesPerEpoch) is ({ } job, { } data) ? Math.Min(job, data) : MaxSamplesPerEpoch ?? dataSamplesPerEpoch };
        return capped with
        {
            BatchSize = capped.BatchFor(trainingSamples),
            MaxSamplesPerEpoch = trainingSamples > capped.MaxSamplesPerEpoch ? capped.MaxSamplesPerEpoch : null,
            MaxValidationSamples = validationSamples > MaxValidationSamples ? MaxValidationSamples : null,
        };
    }
}

internal enum LearningRateSchedule
{
    /// <summary>The same learning rate every epoch (Keras' and the lesson's behaviour).</summary>
    Constant,

    /// <summary>Cosine decay from the learning rate to zero over the run, stepped once per epoch.</summary>
    Cosine,

    /// <summary>Keras' ReduceLROnPlateau: multiply the rate by a factor when the monitored loss stalls.</summary>
    Plateau,
}
