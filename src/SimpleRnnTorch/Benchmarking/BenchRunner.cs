using System.Diagnostics;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Benchmarking;

/// <summary>
/// Measures the training loop as the program runs it: every timing comes from <see cref="Trainer.Fit"/>
/// itself (its epoch durations, and the observer's step events), so the benchmark cannot drift from the
/// code it claims to measure. No console I/O: progress goes to <c>phase</c>, results come back as a report.
/// </summary>
public static class BenchRunner
{
    /// <summary>The lesson's epoch: 800 training samples in batches of 32.</summary>
    private const int StepsPerEpoch = 25;

    public static BenchReport Run(BenchSettings settings, Device device, Action<string>? phase = null, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.WarmupSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.SoakSteps);

        phase?.Invoke($"lesson: {TrainingDefaults.Epochs} epochs, 1000 sequences, batch 32, Adam lr {settings.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var lesson = Lesson(settings, device, cancellation);

        phase?.Invoke($"steps: {settings.WarmupSteps} warm-up + {settings.Steps} timed, batch {settings.Batch}");
        var step = Steps(settings, device, cancellation);
        var rssAfterSteps = ProcessMemory.ResidentMib();

        var scale = new List<ScalePoint>();
        foreach (var size in settings.ScaleSizes)
        {
            phase?.Invoke($"scale: one epoch of {size:N0} sequences at batch {string.Join(" and ", settings.ScaleBatches)}");
            scale.AddRange(Scale(size, settings, device, cancellation));
        }

        MemorySoak? soak = null;
        if (settings.SoakSteps > 0)
        {
            phase?.Invoke($"soak: {settings.SoakSteps:N0} steps, resident memory after 1,000 and after {settings.SoakSteps:N0}");
            soak = Soak(settings, device, cancellation);
        }

        return new BenchReport(step, lesson, scale, soak, rssAfterSteps, ProcessMemory.PeakResidentMib());
    }

    /// <summary>The lesson as TrainSession trains it: 1000 sequences, 30 epochs of 25 steps and validation.</summary>
    private static LessonTiming Lesson(BenchSettings settings, Device device, CancellationToken cancellation)
    {
        var seed = settings.Seed;
        var config = new TrainingConfig { Seed = seed, LearningRate = settings.LearningRate, Schedule = LearningRateSchedule.Constant };
        using var data = LessonData(new SequenceSpec(), seed, config.ValidationSplit, device);
        using var model = ModelFactory.Create(new ModelSpec(), seed, device);
        var started = Stopwatch.GetTimestamp();
        var history = Checked(Trainer.Fit(model, data, config, cancellation: cancellation));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var epochMs = history.Epochs.Select(e => e.Duration.TotalMilliseconds).ToList();
        return new LessonTiming(history.Epochs.Count, StepsPerEpoch, seconds, Percentiles.Median(epochMs), epochMs.Min(),
            history.Epochs[^1].ValidationLoss ?? double.NaN);
    }

    /// <summary>
    /// Step times are the intervals between consecutive step events of one epoch. The first step of each
    /// epoch is left out: its interval also holds the epoch's shuffle.
    /// </summary>
    private static StepTiming Steps(BenchSettings settings, Device device, CancellationToken cancellation)
    {
        var batch = settings.Batch;
        var trainCount = (long)batch * StepsPerEpoch;
        var config = new TrainingConfig
        {
            BatchSize = batch,
            LearningRate = settings.LearningRate,
            Schedule = LearningRateSchedule.Constant,
            Seed = settings.Seed,
        };
        var sequences = (int)Math.Ceiling(trainCount / (1 - config.ValidationSplit));
        while (LessonDataset.TrainCountFor(sequences, config.ValidationSplit) < trainCount)
        {
            sequences++;
        }

        var needed = settings.WarmupSteps + settings.Steps;
        config = config with { Epochs = (needed + StepsPerEpoch - 2) / (StepsPerEpoch - 1) };
        using var data = LessonData(new SequenceSpec(Count: sequences), settings.Seed, config.ValidationSplit, device);
        using var model = ModelFactory.Create(new ModelSpec(), settings.Seed, device);

        var intervals = new List<double>(config.Epochs * StepsPerEpoch);
        long previous = 0;
        var history = Checked(Trainer.Fit(model, data, config, e =>
        {
            if (e is StepCompleted completed)
            {
                var now = Stopwatch.GetTimestamp();
                if (completed.Step > 1)
                {
                    intervals.Add((now - previous) * 1e6 / Stopwatch.Frequency);
                }

                previous = now;
            }
        }, cancellation));

        var timed = intervals.Skip(settings.WarmupSteps).Take(settings.Steps).ToList();
        var epochMs = history.Epochs.Select(e => e.Duration.TotalMilliseconds).ToList();
        return new StepTiming(batch, timed.Count, Percentiles.Median(timed), Percentiles.Of(timed, 10), Percentiles.Of(timed, 90), timed.Average(),
            Percentiles.Median(epochMs));
    }

    /// <summary>One epoch over all of <paramref name="size"/> sequences (no validation split) per batch size.</summary>
    private static IEnumerable<ScalePoint> Scale(int size, BenchSettings settings, Device device, CancellationToken cancellation)
    {
        var seed = settings.Seed;
        var started = Stopwatch.GetTimestamp();
        using var data = LessonData(new SequenceSpec(Count: size), seed, 0, device);
        var dataSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var points = new List<ScalePoint>();
        foreach (var batch in settings.ScaleBatches)
        {
            var config = new TrainingConfig
            {
                Epochs = 1,
                BatchSize = batch,
                ValidationSplit = 0,
                LearningRate = settings.LearningRate,
                Schedule = LearningRateSchedule.Constant,
                Seed = seed,
            };
            using var model = ModelFactory.Create(new ModelSpec(), seed, device);
            var history = Checked(Trainer.Fit(model, data, config, cancellation: cancellation));
            points.Add(new ScalePoint(size, batch, dataSeconds, history.Epochs[0].Duration.TotalSeconds));
        }

        return points;
    }

    /// <summary>Resident memory after 1000 steps and after all soak steps, in one run of the lesson's loop.</summary>
    private static MemorySoak Soak(BenchSettings settings, Device device, CancellationToken cancellation)
    {
        var (steps, seed) = (settings.SoakSteps, settings.Seed);
        const int early = 1000;
        var config = new TrainingConfig
        {
            Epochs = (steps + StepsPerEpoch - 1) / StepsPerEpoch,
            LearningRate = settings.LearningRate,
            Schedule = LearningRateSchedule.Constant,
            Seed = seed,
        };
        using var data = LessonData(new SequenceSpec(), seed, config.ValidationSplit, device);
        using var model = ModelFactory.Create(new ModelSpec(), seed, device);
        var done = 0;
        double earlyRss = double.NaN, lateRss = double.NaN;
        Checked(Trainer.Fit(model, data, config, e =>
        {
            if (e is StepCompleted)
            {
                done++;
                if (done == Math.Min(early, steps))
                {
                    earlyRss = ProcessMemory.ResidentMib();
                }

                if (done == steps)
                {
                    lateRss = ProcessMemory.ResidentMib();
                }
            }
        }, cancellation));
        return new MemorySoak(Math.Min(early, steps), earlyRss, steps, lateRss);
    }

    private static LessonDataset LessonData(SequenceSpec spec, long seed, double validationSplit, Device device)
    {
        using var sequences = SequenceData.Generate(spec, seed);
        return LessonDataset.Create(sequences, new SequenceScaler(), validationSplit, device);
    }

    private static TrainingHistory Checked(TrainingHistory history) => history.Stop.Reason switch
    {
        StopReason.Completed => history,
        StopReason.Interrupted => throw new OperationCanceledException("the benchmark was interrupted"),
        _ => throw new InvalidOperationException($"the loss became non-finite at epoch {history.Stop.Epoch}, step {history.Stop.Step}; the timings would not be of a real run"),
    };
}
