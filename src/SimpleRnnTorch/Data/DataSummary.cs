namespace SimpleRnnTorch.Data;

/// <summary>
/// What a job's data looks like once generated, scaled and split: enough for the lesson's narration
/// ("Sample input: [42 52 62] target: 72", the shapes, the split) without handing tensors around.
/// The first sample is taken before any shuffling, in original units and scaled. A series run also
/// says where its values came from and how they were cut (<see cref="Series"/>); the lesson's has none.
/// </summary>
internal sealed record DataSummary(
    SequenceSpec Spec,
    long Seed,
    double[] SampleInput,
    double SampleTarget,
    double[] ScaledSampleInput,
    SequenceScaler Scaler,
    long TrainCount,
    long ValidationCount,
    double ValidationSplit,
    string Device,
    int Threads,
    SeriesSummary? Series = null,
    SequenceTask Task = SequenceTask.Arithmetic)
{
    /// <summary>(samples, time steps, features), the shape the recurrent layer reads.</summary>
    public long[] InputShape => [Spec.Count, Spec.TimeSteps, Task.Features()];
}

/// <summary>A series run's data: the values read, their windows and split, and how long the reading took.</summary>
internal sealed record SeriesSummary(Series Series, SeriesWindows Windows, TimeSpan ReadTime);
