using SimpleRnnTorch.Common;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Runs;

/// <summary>
/// One training job from start to end, the only place that does it: the train command, the experiments,
/// the benchmark and the tests all come through here.
/// <code>
///   checks → data (the source makes or reads, scales, splits) → folder → model → fit → files → predictions → the source evaluates
/// </code>
/// Nothing here asks which data source the job holds: each <see cref="DataSource"/> does its own part.
/// No console: what happens is told to observers as <see cref="TrainingEvent"/>s, and what came out is
/// returned as a <see cref="TrainingRun"/>. Cancellation stops the fit after the running step; the
/// completed epochs are still written.
/// </summary>
internal static class TrainingPipeline
{
    public static TrainingRun Run(TrainJob job, IReadOnlyList<ITrainingObserver>? observers = null, CancellationToken cancellation = default)
    {
        observers ??= [];
        var files = job.Files;

        // 0. What can refuse the job before any work: the plot's font, the device.
        if (files is not null)
        {
            PlotFont.Resolve();
        }

        set_num_threads(job.Threads);
        var device = DeviceChoice.Resolve(job.Device);

        // 1. Data: made or read, scaled, split. A bad series file is refused here, before any folder exists.
        var data = job.Source.Prepare(job.Training.Seed, job.Training.ValidationSplit, device);
        SequenceRegressor? model = null;
        try
        {
            // The network for the window the data has (a series' is chosen from its file).
            if (job.WindowProblem(data.Spec.TimeSteps, data.ValuesPerStep) is { } problem)
            {
                throw new ProgramError(problem, FailureKind.Input);
            }

            var spec = job.ModelFor(data.Spec.TimeSteps, data.ValuesPerStep);
            // 2. The folder, locked for the whole run (and the model's, when it is saved elsewhere).
            using var folder = files is null ? null : RunFolder.Open(files);
            Notify(observers, new DataPrepared(data.Summary, DeviceChoice.Name(device), job.Threads));

            // 3. Model: the initial weights are a function of the seed alone (see ModelFactory).
            model = ModelFactory.Create(spec, job.Training.Seed, device, job.Training.Init);
            var training = job.Training.For(data.Tensors.TrainCount, data.Tensors.ValidationCount, data.SamplesPerEpoch);
            Notify(observers, new ModelCreated(spec, model.GetName(), training));

            // 4. Fit. The checkpoint writer replaces the model file after every epoch (its manifest says
            // "running"); once its first one is on the disk, the folder's earlier run is removed, so the folder
            // holds one run and always a model.
            var manifest = ManifestOf(data, spec, training);
            // The first checkpoint brings the exports beside it: from then on the folder holds every format of one run.
            IReadOnlyList<ITrainingObserver> fitObservers = files?.ModelPath is { } checkpoint
                ? [.. observers, new CheckpointWriter(checkpoint, model, manifest, folder) { Exports = ([files.PyTorch!, files.Onnx!], (m, saved, then) => Export(files, m, saved, then)) }]
                : observers;
            var history = Trainer.Fit(model, data.Tensors, training, fitObservers, cancellation);
            Notify(observers, new FitEnded(history));

            // 5. Predictions and the source's evaluation, only for a run that ended as planned. A signal during the
            // evaluation (a long backtest) stops it between steps: the model is kept without it.
            var finished = history.Stop.Reason is StopReason.Completed or StopReason.EarlyStopped;
            var predictions = finished ? Predictor.Predict(model, data.Scaler, job.Predict, device) : [];
            DataOutcome? outcome = null;
            var evaluationStopped = false;
            if (finished)
            {
                Notify(observers, new EvaluationStarted());
            }

            try
            {
                outcome = finished
                    ? job.Source.Evaluate(model, data, new EvaluationContext(job.EvaluationSeed, device, $"model ({spec.Cell.ToString().ToLowerInvariant()})", cancellation))
                    : null;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                evaluationStopped = true;
            }

            Notify(observers, new EvaluationEnded(evaluationStopped));

            // 6. Files: the completed epochs, whatever stopped the run (nothing when none completed), with what the
            // model keeps of the evaluation (a series' interval); then the files that show the evaluation.
            manifest = manifest with
            {
                History = history.Epochs,
                StoppedBy = (evaluationStopped ? StopReason.Interrupted : history.Stop.Reason).ToString().ToLowerInvariant(),
            };
            manifest = outcome?.Annotate(manifest) ?? manifest;
            IReadOnlyList<string> written = [];
            if (history.Epochs.Count > 0 && files is not null)
            {
                // Done by the first checkpoint, unless the model is not saved: then the history comes first.
                folder!.BeginWriting();
                written = WriteFiles(files, job.Artifacts!.LossScale, model, history, manifest);
                folder.ClearPrevious(written);
            }

            if (outcome is not null && files is not null && history.Epochs.Count > 0)
            {
                outcome = outcome with { Written = WriteOutcome(files, outcome) };
            }

            return new TrainingRun
            {
                Job = job,
                Model = model,
                Data = data,
                Device = device,
                History = history,
                Manifest = manifest,
                Written = [.. written, .. outcome?.Written ?? []],
                Predictions = predictions,
                Outcome = outcome,
                EvaluationStopped = evaluationStopped,
            };
        }
        catch
        {
            model?.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The model's .pt and .onnx exports (the paths the run's files name for them), each written in full before any replaces
    /// its old file; <paramref name="then"/> runs once both are complete, before either replaces the old one.
    /// </summary>
    private static void Export(RunFiles files, SequenceRegressor model, ModelManifest manifest, Action? then = null) =>
        OnnxExport.Save(files.Onnx!, model, manifest, beforeReplace: () => PyTorchExport.Save(files.PyTorch!, model, beforeReplace: then));

    /// <summary>The outcome's files, each where the run's files say the source's file of that name goes (none: not written).</summary>
    private static List<string> WriteOutcome(RunFiles files, DataOutcome outcome)
    {
        List<string> written = [];
        foreach (var file in outcome.Files)
        {
            if (files.Path(file.Name) is { } path)
            {
                AtomicFile.WriteAllBytes(path, file.Contents());
                written.Add(path);
            }
        }

        return written;
    }

    private static List<string> WriteFiles(RunFiles files, LossScale lossScale, SequenceRegressor model, TrainingHistory history, ModelManifest manifest)
    {
        HistoryCsv.Write(files.History, history);
        LossPlot.Write(files.LossPlot, history, lossScale);
        if (files.ModelPath is { } modelPath)
        {
            // The exports first, the model file last: once its manifest says how the run ended, the files beside it are
            // final too. The final save is durable (flushed to the disk); the per-epoch checkpoints were not.
            Export(files, model, manifest);
            ModelFile.Save(modelPath, model, manifest);
        }

        return [files.History, files.LossPlot, .. files.ModelPath is null ? Array.Empty<string>() : [files.ModelPath, files.PyTorch!, files.Onnx!]];
    }

    /// <summary>The manifest of a model trained on this data, before any epoch.</summary>
    private static ModelManifest ManifestOf(PreparedData data, ModelSpec model, TrainingConfig training) =>
        new(model, data.Spec, data.Scaler.Divisor, training, [], "running", ModelManifest.Producer, data.Scaler.Offset, data.Origin, data.Task, data.Scaler.Kind, data.Scaler.Lag, data.Scaler.Floor);

    private static void Notify(IReadOnlyList<ITrainingObserver> observers, TrainingEvent e)
    {
        foreach (var observer in observers)
        {
            observer.Observe(e);
        }
    }
}
