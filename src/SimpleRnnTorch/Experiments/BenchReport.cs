namespace SimpleRnnTorch.Experiments;

/// <summary>
/// Per-step wall time of the training loop, in microseconds, and the median epoch of that same run
/// (25 steps plus validation, like the lesson's, but warm: after the lesson run has compiled everything).
/// </summary>
internal sealed record StepTiming(int Batch, int Steps, double MedianUs, double P10Us, double P90Us, double MeanUs, double WarmEpochMsMedian);

/// <summary>The default lesson as `dotnet run` trains it: epochs of 25 steps plus validation.</summary>
internal sealed record LessonTiming(int Epochs, int StepsPerEpoch, double TrainLoopSeconds, double EpochMsMedian, double EpochMsMin, double FinalValidationLoss);

/// <summary>One epoch over <paramref name="Sequences"/> sequences (no validation), and the time to generate them.</summary>
internal sealed record ScalePoint(int Sequences, int Batch, double DataSeconds, double EpochSeconds)
{
    public double SamplesPerSecond => Sequences / EpochSeconds;
}

/// <summary>Resident memory after 1000 steps and after many more, in one training run.</summary>
internal sealed record MemorySoak(int EarlySteps, double EarlyRssMib, int LateSteps, double LateRssMib)
{
    /// <summary>Relative growth, e.g. 0.01 for 1%.</summary>
    public double Growth => (LateRssMib - EarlyRssMib) / EarlyRssMib;
}

internal sealed record BenchReport(
    StepTiming Step,
    LessonTiming Lesson,
    IReadOnlyList<ScalePoint> Scale,
    MemorySoak? Soak,
    double RssAfterStepsMib,
    double PeakRssMib,
    StartupTiming Startup,
    string Device,
    SeriesTiming? Series = null);

/// <summary>
/// Reading a CSV series (first in the bench process, so the peak resident memory after it is the reading's),
/// and one epoch on its windows beside one epoch on as many generated sequences, per batch size.
/// </summary>
internal sealed record SeriesTiming(string File, int Values, double ReadSeconds, long AllocatedBytes, double RssBeforeMib, double PeakRssAfterMib,
    IReadOnlyList<SeriesThroughput> Epochs)
{
    /// <summary>The series as float32: what the memory promise is measured against.</summary>
    public long SeriesBytes => Values * 4L;
}

/// <summary>Training samples per second of an epoch, the mean of two (validation included, 0.2 of the windows, on both sides).</summary>
internal sealed record SeriesThroughput(int Batch, int TrainSamples, double SeriesEpochSeconds, double GeneratedEpochSeconds)
{
    public double SeriesSamplesPerSecond => TrainSamples / SeriesEpochSeconds;

    public double GeneratedSamplesPerSecond => TrainSamples / GeneratedEpochSeconds;
}

/// <summary>This process's start-up until the bench began, and libtorch's load (the first torch call pays it).</summary>
internal sealed record StartupTiming(double SinceProcessStartMs, double LibTorchLoadMs);
