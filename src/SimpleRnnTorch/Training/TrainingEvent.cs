namespace SimpleRnnTorch.Training;

/// <summary>
/// What the trainer tells its observer. The trainer never writes to the console: the CLI renders these
/// as Keras-style progress, tests record them, the benchmark ignores them.
/// </summary>
public abstract record TrainingEvent;

public sealed record EpochStarted(int Epoch, int Epochs, int Steps) : TrainingEvent;

/// <summary>After every optimiser step; <paramref name="RunningLoss"/> is the epoch's mean so far.</summary>
public sealed record StepCompleted(int Epoch, int Step, int Steps, double RunningLoss) : TrainingEvent;

public sealed record EpochCompleted(EpochResult Result, int Epochs) : TrainingEvent;
