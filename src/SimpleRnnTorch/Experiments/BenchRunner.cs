using System.Diagnostics;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Experiments;

/// <summary>
/// Measures training as the program runs it: every part is a <see cref="TrainingPipeline"/> job, and
/// every timing comes from the job itself (its epoch durations, and the intervals between its events),
/// so the benchmark cannot drift from the code it claims to measure. No console I/O: progress goes to
/// <c>phase</c>, results come back as a report.
/// </summary>
internal static class BenchRunner
{
    /// <summary>The lesson's epoch: 800 training samples in batches of 32.</summary>
    internal const int StepsPerEpoch = 25;

    public static BenchReport Run(BenchSettings settings, Action<string>? phase = null, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.WarmupSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.SoakSteps);

        // Start-up as far as this process got: the host and the JIT until here, then libtorch's load,
        // which the first torch call pays (its static initialiser loads the native libraries).
        double sinceStartMs;
        using (var self = Process.GetCurrentProcess())
        {
            sinceStartMs = (DateTime.Now - self.StartTime).TotalMilliseconds;
        }

        var loading = Stopwatch.GetTimestamp();
        set_num_threads(settings.Threads);
        var startup = new StartupTiming(sinceStartMs, Stopwatch.GetElapsedTime(loading).TotalMilliseconds);
        var device = DeviceChoice.Name(DeviceChoice.Resolve(settings.Device));

        // The series' reading comes first, while nothing but libtorch is loaded: the peak after it is its own.
        SeriesRead? read = null;
        if (settings.SeriesFile is { } file)
        {
            // Said after the reading: a file it refuses is then the one line of the error, not a progress line too.
            read = ReadSeries(file);
            phase?.Invoke($"series: read {read.Values} values from {file} in {read.Seconds:0.###} s");
        }

        var lessonJob = Job(settings, new TrainingConfig());
        phase?.Invoke($"lesson: {lessonJob.Training.Epochs} epochs, {Count(lessonJob)} sequences, batch {lessonJob.Training.BatchSize}, Adam lr {settings.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var lesson = Lesson(lessonJob, cancellation);

        phase?.Invoke($"steps: {settings.WarmupSteps} warm-up + {settings.Steps} timed, batch {settings.Batch}");
        var step = Steps(settings, cancellation);
        var rssAfterSteps = ProcessMemory.ResidentMib();

        var scale = new List<ScalePoint>();
        foreach (var size in settings.ScaleSizes)
        {
            phase?.Invoke($"scale: one epoch of {size:N0} sequences at batch {string.Join(" and ", settings.ScaleBatches)}");
            scale.AddRange(Scale(size, settings, cancellation));
        }

        MemorySoak? soak = null;
        if (settings.SoakSteps > 0)
        {
            phase?.Invoke($"soak: {settings.SoakSteps:N0} steps, resident memory after 1,000 and after {settings.SoakSteps:N0}");
            soak = Soak(settings, cancellation);
        }

        SeriesTiming? series = null;
        if (read is { } r)
        {
            phase?.Invoke($"series: epochs on {r.Values:N0} values' windows and on as many generated sequences, batch {string.Join(" and ", settings.ScaleBatches)}");
            series = SeriesEpochs(r, settings, cancellation);
        }

        return new BenchReport(step, lesson, scale, soak, rssAfterSteps, ProcessMemory.PeakResidentMib(), startup, device, series);
    }

    /// <summary>
    /// A job of the lesson's data and model (or the adding task's, at the bench's cell, T and hidden size) at
    /// the bench's rate, seed, threads and device, with <paramref name="count"/> sequences, keeping nothing
    /// on disk and predicting nothing.
    /// </summary>
    private static TrainJob Job(BenchSettings settings, TrainingConfig training, int count = DefaultCount)
    {
        var task = Workload(settings);
        return task with
        {
            Source = task.Source.WithSamples(count),
            Training = training with { LearningRate = settings.LearningRate, Schedule = LearningRateSchedule.Constant, Seed = settings.Seed },
            Threads = settings.Threads,
            Device = settings.Device,
            Predict = [],
        };
    }

    /// <summary>The lesson's 1000 sequences; the adding task is timed at the same count.</summary>
    private const int DefaultCount = 1000;

    private static int Count(TrainJob job) => job.Source.Samples ?? 0;

    /// <summary>The task's job with the bench's cell, T and hidden size: what every part trains.</summary>
    public static TrainJob Workload(BenchSettings settings)
    {
        var task = settings.Task == SequenceTask.Adding
            ? TrainJob.Adding(settings.TimeSteps ?? AddingData.DefaultTimeSteps)
            : new TrainJob { Source = new LessonData(new SequenceSpec(TimeSteps: settings.TimeSteps ?? new SequenceSpec().TimeSteps)) };
        return task with { Model = task.Model with { Cell = settings.Cell, HiddenSize = settings.Hidden ?? task.Model.HiddenSize } };
    }

    /// <summary>The lesson as `dotnet run` trains it: 1000 sequences, 30 epochs of 25 steps and validation.</summary>
    private static LessonTiming Lesson(TrainJob job, CancellationToken cancellation)
    {
        // The train loop is the fit alone: from the model's creation to the end of the fit.
        long fitStarted = 0, fitEnded = 0;
        var clock = new TrainingObserver(e =>
        {
            switch (e)
            {
                case ModelCreated:
                    fitStarted = Stopwatch.GetTimestamp();
                    break;
                case FitEnded:
                    fitEnded = Stopwatch.GetTimestamp();
                    break;
            }
        });
        using var run = Checked(TrainingPipeline.Run(job, [clock], cancellation));
        var epochMs = run.History.Epochs.Select(e => e.Duration.TotalMilliseconds).ToList();
        return new LessonTiming(run.History.Epochs.Count, StepsPerEpoch, Stopwatch.GetElapsedTime(fitStarted, fitEnded).TotalSeconds,
            Percentiles.Median(epochMs), epochMs.Min(), run.History.Epochs[^1].ValidationLoss ?? double.NaN);
    }

    /// <summary>
    /// Step times are the intervals between consecutive step events of one epoch. The first step of each
    /// epoch is left out: its interval also holds the epoch's shuffle.
    /// </summary>
    private static StepTiming Steps(BenchSettings settings, CancellationToken cancellation)
    {
        var batch = settings.Batch;
        var trainCount = (long)batch * StepsPerEpoch;
        var split = new TrainingConfig().ValidationSplit;
        var sequences = (int)Math.Ceiling(trainCount / (1 - split));
        while (TrainingData.TrainCountFor(sequences, split) < trainCount)
        {
            sequences++;
        }

        var needed = settings.WarmupSteps + settings.Steps;
        var job = Job(settings, new TrainingConfig { BatchSize = batch, Epochs = (needed + StepsPerEpoch - 2) / (StepsPerEpoch - 1) }, sequences);

        var intervals = new List<double>(job.Training.Epochs * StepsPerEpoch);
        long previous = 0;
        var timer = new TrainingObserver(e =>
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
        });
        using var run = Checked(TrainingPipeline.Run(job, [timer], cancellation));

        var timed = intervals.Skip(settings.WarmupSteps).Take(settings.Steps).ToList();
        var epochMs = run.History.Epochs.Select(e => e.Duration.TotalMilliseconds).ToList();
        return new StepTiming(batch, timed.Count, Percentiles.Median(timed), Percentiles.Of(timed, 10), Percentiles.Of(timed, 90), timed.Average(),
            Percentiles.Median(epochMs));
    }

    /// <summary>One epoch over all of <paramref name="size"/> sequences (no validation split) per batch size.</summary>
    private static List<ScalePoint> Scale(int size, BenchSettings settings, CancellationToken cancellation)
    {
        var points = new List<ScalePoint>();
        foreach (var batch in settings.ScaleBatches)
        {
            var job = Job(settings, new TrainingConfig { Epochs = 1, BatchSize = batch, ValidationSplit = 0 }, size);
            using var run = Checked(TrainingPipeline.Run(job, cancellation: cancellation));
            points.Add(new ScalePoint(size, batch, run.DataDuration.TotalSeconds, run.History.Epochs[0].Duration.TotalSeconds));
        }

        return points;
    }

    /// <summary>Resident memory after 1000 steps and after all soak steps, in one run of the lesson's loop.</summary>
    private static MemorySoak Soak(BenchSettings settings, CancellationToken cancellation)
    {
        var steps = settings.SoakSteps;
        const int early = 1000;
        var job = Job(settings, new TrainingConfig { Epochs = (steps + StepsPerEpoch - 1) / StepsPerEpoch });
        var done = 0;
        double earlyRss = double.NaN, lateRss = double.NaN;
        var meter = new TrainingObserver(e =>
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
        });
        using var run = Checked(TrainingPipeline.Run(job, [meter], cancellation));
        return new MemorySoak(Math.Min(early, steps), earlyRss, steps, lateRss);
    }

    private sealed record SeriesRead(string File, int Values, double Seconds, long Allocated, double RssBefore, double PeakAfter);

    /// <summary>The reading alone: wall time, managed bytes allocated, resident memory before and its peak after.</summary>
    private static SeriesRead ReadSeries(string file)
    {
        GC.Collect();
        var rssBefore = ProcessMemory.ResidentMib();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        var series = SeriesFile.Read(new SeriesSettings(file));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new SeriesRead(file, series.Length, seconds, allocated, rssBefore, ProcessMemory.PeakResidentMib());
    }

    /// <summary>
    /// Epochs on the series' windows and on as many generated sequences, same split (0.2), batch, seed
    /// and rate, two of each in the order ABBA after a warm-up: what the data costs the training, if anything.
    /// </summary>
    private static SeriesTiming SeriesEpochs(SeriesRead read, BenchSettings settings, CancellationToken cancellation)
    {
        var epochs = new List<SeriesThroughput>();
        var timeSteps = new SequenceSpec().TimeSteps;
        foreach (var batch in settings.ScaleBatches)
        {
            var training = new TrainingConfig { Epochs = 1, BatchSize = batch };
            var seriesJob = Job(settings, training) with { Source = new SeriesData(new SeriesSettings(read.File, Horizon: 1), timeSteps) };
            var generatedJob = Job(settings, training, read.Values - timeSteps);

            // An untimed warm-up epoch at this batch size first: the first epoch of a size is slower (the
            // allocator, the JIT) and would count against whichever side runs first. Then series, generated,
            // generated, series: a machine that drifts over the minutes favours neither side.
            var trainSamples = 0;
            double Epoch(TrainJob job)
            {
                using var run = Checked(TrainingPipeline.Run(job, cancellation: cancellation));
                trainSamples = (int)run.Data.Tensors.TrainCount;
                return run.History.Epochs[0].Duration.TotalSeconds;
            }

            Epoch(Job(settings, training, Math.Min(read.Values, 100_000)));
            var (s1, g1, g2, s2) = (Epoch(seriesJob), Epoch(generatedJob), Epoch(generatedJob), Epoch(seriesJob));
            epochs.Add(new SeriesThroughput(batch, trainSamples, (s1 + s2) / 2, (g1 + g2) / 2));
        }

        return new SeriesTiming(read.File, read.Values, read.Seconds, read.Allocated, read.RssBefore, read.PeakAfter, epochs);
    }

    private static TrainingRun Checked(TrainingRun run)
    {
        var stop = run.History.Stop;
        if (stop.Reason == StopReason.Completed)
        {
            return run;
        }

        run.Dispose();
        throw stop.Reason == StopReason.Interrupted
            ? new OperationCanceledException("the benchmark was interrupted")
            : new InvalidOperationException($"the loss became non-finite at epoch {stop.Epoch}, step {stop.Step}; the timings would not be of a real run");
    }
}
