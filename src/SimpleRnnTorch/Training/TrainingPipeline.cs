using System.Diagnostics;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Training;

/// <summary>
/// One training job from start to end, the only place that does it: the train command, the benchmark
/// and the tests all come through here.
/// <code>
///   checks → data (generate or read a series, scale, split) → model → fit → artifacts → predictions, evaluation
/// </code>
/// The data comes from one of three sources: the lesson's generated sequences with their fixed ÷divisor,
/// the windows of a CSV series (<see cref="TrainJob.Series"/>) with a standardisation fitted on its
/// training part, or the adding problem (<see cref="TrainJob.Task"/>: two features a step, unscaled).
/// From there on all take the same path; afterwards the lesson gets the standard evaluation sets, a
/// series its baselines and forecast, the adding problem its test MSE beside the constant guess's.
/// No console: what happens is told to observers as <see cref="TrainingEvent"/>s, and what came out is
/// returned as a <see cref="TrainingRun"/>. Cancellation stops the fit after the running step; the
/// completed epochs are still written.
/// </summary>
internal static class TrainingPipeline
{
    public static TrainingRun Run(TrainJob job, IReadOnlyList<ITrainingObserver>? observers = null, CancellationToken cancellation = default)
    {
        observers ??= [];

        // 0. Everything that can refuse the job, before any work and before any file exists: the plot's
        // font, the device, the output folder (created and locked for the whole run).
        if (job.Artifacts is not null)
        {
            PlotFont.Resolve();
        }

        CheckTask(job);
        // A series file is read and checked here too: a bad file costs no folder, no data and no model.
        var series = job.Series is { } settings ? ReadSeries(job, settings) : null;

        set_num_threads(job.Threads);
        var device = DeviceChoice.Resolve(job.Device);
        using var folders = job.Artifacts is { } plan ? FolderLocks.Acquire(plan) : null;

        // 1. Data: (N, T+1) sequences in original units → inputs (N, T, 1) and targets (N, 1), ÷ divisor,
        // or the adding problem's (N, T, 2) and (N, 1); the last ValidationSplit of the rows held out
        // before any shuffling (Keras' validation_split).
        var dataStarted = Stopwatch.GetTimestamp();
        SequenceScaler scaler;
        LessonDataset data;
        var dataSpec = job.Data;
        if (series is null)
        {
            scaler = new SequenceScaler(job.ScaleDivisor);
            data = PrepareData(job, scaler, device);
        }
        else
        {
            // Windows in order, the last fraction validating; the scaler sees the training part only.
            scaler = series.Windows.FitScaler(series.Series.Values);
            dataSpec = job.Data with { Count = series.Windows.Windows };
            using var sequences = SeriesWindows.Sequences(series.Series.Values, job.Data.TimeSteps);
            data = LessonDataset.Create(sequences, scaler, job.Training.ValidationSplit, device);
        }

        var dataDuration = Stopwatch.GetElapsedTime(dataStarted);
        SequenceRegressor? model = null;
        try
        {
            Notify(observers, new DataPrepared(Summarize(job, dataSpec, series, data, scaler, device)));

            // 2. Model: the initial weights are a function of the seed alone (see ModelFactory).
            model = ModelFactory.Create(job.Model, job.Training.Seed, device, job.Training.Init);
            Notify(observers, new ModelCreated(job.Model, model.GetName(), job.Training));

            // 3. Fit. The checkpoint writer replaces the model file after every epoch.
            var source = series is null ? null : new SeriesSource(series.Series.Source, series.Series.Name, series.Series.Length, series.Windows.TrainingValues,
                $"standardised on the training part: mean {scaler.Offset.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, standard deviation {scaler.Divisor.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
            var manifest = new ModelManifest(job.Model, dataSpec, scaler.Divisor, job.Training, [], "running", ModelManifest.Producer, scaler.Offset, source, job.Task);
            IReadOnlyList<ITrainingObserver> fitObservers = job.Artifacts?.ModelPath is { } checkpoint
                ? [.. observers, new CheckpointWriter(checkpoint, model, manifest)]
                : observers;
            var history = Trainer.Fit(model, data, job.Training, fitObservers, cancellation);
            Notify(observers, new FitEnded(history));

            // 4. Artifacts: the completed epochs, whatever stopped the run; nothing when none completed.
            manifest = manifest with { History = history.Epochs, StoppedBy = history.Stop.Reason.ToString().ToLowerInvariant() };
            var written = history.Epochs.Count > 0 && job.Artifacts is { } artifacts
                ? WriteArtifacts(artifacts, model, history, manifest)
                : [];

            // 5. Predictions and evaluation, only for a run that ended as planned.
            var finished = history.Stop.Reason is StopReason.Completed or StopReason.EarlyStopped;
            var predictions = finished ? Predictor.Predict(model, scaler, job.Predict, device) : [];
            IReadOnlyList<EvaluationResult> evaluation = [];
            AddingScore? addingScore = null;
            if (finished && job.EvalCount > 0 && job.Task == SequenceTask.Adding)
            {
                // The adding problem's evaluation: the test MSE on fresh sequences beside the constant guess's.
                addingScore = AddingEvaluation.Run(model, job.EvalCount, job.Data.TimeSteps, job.EvaluationSeed, device);
            }
            else if (finished && job.EvalCount > 0 && series is null)
            {
                evaluation = Evaluator.RunAll(model, scaler, EvaluationSet.Standard(job.Data, job.EvalCount), job.EvaluationSeed, device);
                if (job.Artifacts is { } plan2)
                {
                    PredictionPlot.Write(plan2.PredictionPlotPath, evaluation);
                    written = [.. written, plan2.PredictionPlotPath];
                }
            }

            // A series: one-step predictions over the validation part against the naive baselines, and the
            // forecast after its end (the standard evaluation sets are arithmetic sequences: not for a series).
            SeriesOutcome? outcome = null;
            if (finished && series is not null)
            {
                outcome = SeriesForecast.Evaluate(model, scaler, series.Series, series.Windows, data.ValidationInputs, series.Windows.Season, job.Series!.Horizon,
                    $"model ({job.Model.Cell.ToString().ToLowerInvariant()})", device);
                if (job.Artifacts is { } plan3)
                {
                    ForecastPlot.Write(plan3.ForecastPlotPath, outcome);
                    written = [.. written, plan3.ForecastPlotPath];
                }
            }

            return new TrainingRun
            {
                Job = job,
                Model = model,
                Data = data,
                Scaler = scaler,
                Device = device,
                History = history,
                Manifest = manifest,
                DataDuration = dataDuration,
                Written = written,
                Predictions = predictions,
                Evaluation = evaluation,
                Series = outcome,
                AddingScore = addingScore,
            };
        }
        catch
        {
            model?.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>A job whose model cannot read its task's inputs is a programming error: the commands never build one.</summary>
    private static void CheckTask(TrainJob job)
    {
        if (job.Model.InputSize != job.Task.Features())
        {
            throw new ArgumentException($"the {job.Task.Name()} task has {job.Task.Features()} feature(s) per step; the model reads {job.Model.InputSize}", nameof(job));
        }

        if (job.Data.TimeSteps < job.Task.MinTimeSteps())
        {
            throw new ArgumentException($"the {job.Task.Name()} task needs at least {job.Task.MinTimeSteps()} time steps", nameof(job));
        }

        if (job.Task == SequenceTask.Adding && job.ScaleDivisor != 1)
        {
            throw new ArgumentException("the adding task is not scaled: its ScaleDivisor must be 1 (see TrainJob.Adding)", nameof(job));
        }
    }

    /// <summary>The data step: the task's generator, seeded by the job, split as Keras does.</summary>
    private static LessonDataset PrepareData(TrainJob job, SequenceScaler scaler, Device device)
    {
        if (job.Task == SequenceTask.Adding)
        {
            var (inputs, targets) = AddingProblem.Generate(job.Data.Count, job.Data.TimeSteps, job.Training.Seed);
            using (inputs)
            using (targets)
            {
                return LessonDataset.Split(inputs, targets, job.Training.ValidationSplit, device);
            }
        }

        using var sequences = SequenceData.Generate(job.Data, job.Training.Seed);
        return LessonDataset.Create(sequences, scaler, job.Training.ValidationSplit, device);
    }

    private static List<string> WriteArtifacts(ArtifactPlan plan, SequenceRegressor model, TrainingHistory history, ModelManifest manifest)
    {
        HistoryCsv.Write(plan.HistoryPath, history);
        LossPlot.Write(plan.LossPlotPath, history, plan.LossScale);
        List<string> written = [plan.HistoryPath, plan.LossPlotPath];
        if (plan.ModelPath is { } modelPath)
        {
            // The final save is durable (flushed to the disk); the per-epoch checkpoints were not.
            ModelFile.Save(modelPath, model, manifest);
            var ptPath = PyTorchExport.PathBeside(modelPath);
            PyTorchExport.Save(ptPath, model);
            var onnxPath = OnnxExport.PathBeside(modelPath);
            OnnxExport.Save(onnxPath, model, manifest);
            written.Add(modelPath);
            written.Add(ptPath);
            written.Add(onnxPath);
        }

        return written;
    }

    /// <summary>The series, read and cut into windows, or one line (a <see cref="SeriesDataException"/>) saying why not.</summary>
    private static SeriesSummary ReadSeries(TrainJob job, SeriesSettings settings)
    {
        if (settings.Horizon < 1)
        {
            throw new SeriesDataException($"--horizon must be at least 1, got {settings.Horizon}");
        }

        var started = Stopwatch.GetTimestamp();
        var series = SeriesFile.Read(settings);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new SeriesSummary(series, SeriesWindows.Plan(series, job.Data.TimeSteps, job.Training.ValidationSplit, settings.Season), elapsed);
    }

    private static DataSummary Summarize(TrainJob job, SequenceSpec spec, SeriesSummary? series, LessonDataset data, SequenceScaler scaler, Device device)
    {
        // The first row, before the shuffle: the training part starts with it.
        var scaled = Row(data.TrainInputs);
        return new DataSummary(
            spec,
            job.Training.Seed,
            scaled.Select(scaler.Inverse).ToArray(),
            scaler.Inverse(Row(data.TrainTargets)[0]),
            scaled,
            scaler,
            data.TrainCount,
            data.ValidationCount,
            job.Training.ValidationSplit,
            DeviceChoice.Name(device),
            job.Threads,
            series,
            job.Task);
    }

    private static double[] Row(Tensor t)
    {
        using var row = t[0].to(CPU);
        return row.data<float>().Select(v => (double)v).ToArray();
    }

    private static void Notify(IReadOnlyList<ITrainingObserver> observers, TrainingEvent e)
    {
        foreach (var observer in observers)
        {
            observer.Observe(e);
        }
    }

    /// <summary>The output folder and, when the model is saved elsewhere, that folder too.</summary>
    private sealed class FolderLocks : IDisposable
    {
        private readonly List<OutputFolderLock> locks = [];

        public static FolderLocks Acquire(ArtifactPlan plan)
        {
            var result = new FolderLocks();
            try
            {
                const string purpose = "simplernntorch train";
                result.locks.Add(OutputFolderLock.Acquire(plan.Folder, "--output", purpose));
                if (plan.ModelPath is { } model && Path.GetDirectoryName(Path.GetFullPath(model)) is { } modelFolder
                    && !string.Equals(Path.GetFullPath(plan.Folder).TrimEnd(Path.DirectorySeparatorChar), modelFolder, StringComparison.Ordinal))
                {
                    result.locks.Add(OutputFolderLock.Acquire(modelFolder, "--save", purpose));
                }

                return result;
            }
            catch
            {
                result.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            foreach (var folderLock in locks)
            {
                folderLock.Dispose();
            }
        }
    }
}
