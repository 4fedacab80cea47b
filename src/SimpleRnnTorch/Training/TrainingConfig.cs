namespace SimpleRnnTorch.Training;

/// <summary>How to fit a model. Defaults are the program's (see README: why not the lesson's 0.001 / 30).</summary>
public sealed record TrainingConfig
{
    public int Epochs { get; init; } = TrainingDefaults.Epochs;
    public int BatchSize { get; init; } = 32;

    /// <summary>Fraction of samples, taken from the end, held out for validation (Keras' validation_split).</summary>
    public double ValidationSplit { get; init; } = 0.2;

    public double LearningRate { get; init; } = TrainingDefaults.LearningRate;

    public LearningRateSchedule Schedule { get; init; } = TrainingDefaults.Schedule;

    /// <summary>Seeds the weights and the per-epoch shuffle.</summary>
    public long Seed { get; init; }
}

public enum LearningRateSchedule
{
    /// <summary>The same learning rate every epoch (Keras' and the lesson's behaviour).</summary>
    Constant,

    /// <summary>Cosine decay from the learning rate to zero over the run, stepped once per epoch.</summary>
    Cosine,
}

public static class TrainingDefaults
{
    public const int Epochs = 30;
    public const double LearningRate = 0.1;
    public const LearningRateSchedule Schedule = LearningRateSchedule.Cosine;
}
