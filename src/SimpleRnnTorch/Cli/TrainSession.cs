using System.Globalization;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// The lesson, step by step, as one `dotnet run`: data, scaling, model, training, plot, prediction.
/// With PredictCommand, the only code that wires the domain to the console and the file system.
/// </summary>
public static class TrainSession
{
    public static int Run(TrainSettings settings, CliConsole console, Interrupts? interrupts = null)
    {
        var output = console.Out;
        var cancellation = interrupts?.Token ?? CancellationToken.None;
        // Cheap checks first: a bad folder or a missing font must not cost a training run, and
        // nothing is created before every check that can refuse the run has passed.
        PlotFont.Resolve();
        set_num_threads(settings.Threads);
        var device = DeviceChoice.Resolve(settings.Device);
        OutputFolder.EnsureWritable(settings.OutputFolder, "--output");
        if (settings.SavePath is { } savePath)
        {
            OutputFolder.EnsureWritable(Path.GetDirectoryName(Path.GetFullPath(savePath))!, "--save");
            if (Directory.Exists(savePath))
            {
                throw new UserError($"--save '{savePath}' is a folder; give a file name such as model.safetensors");
            }
        }


        // 1. Data
        var spec = settings.Data;
        using var sequences = SequenceData.Generate(spec, settings.Training.Seed);
        var (inputs, targets) = SequenceData.SplitInputsTargets(sequences);
        using (inputs)
        using (targets)
        {
            output.WriteLine($"Generated {spec.Count} sequences of {spec.TimeSteps} steps: {spec.Describe()}, seed {settings.Training.Seed}");
            output.WriteLine($"Sample input: {SequenceText.Format(Row(inputs, 0))}  target: {Row(targets.unsqueeze(1), 0)[0]:0.####}");
            output.WriteLine($"X shape: {Shape(inputs)}  y shape: {Shape(targets)}");
            output.WriteLine($"X reshaped for the RNN: {Shape(inputs.unsqueeze(-1))} = (samples, time steps, features)");
        }

        // 2. Scaling and the validation split
        var scaler = new SequenceScaler(settings.Scale);
        using var data = LessonDataset.Create(sequences, scaler, settings.Training.ValidationSplit, device);
        output.WriteLine($"Scaled by 1/{scaler.Divisor.ToString("G", CultureInfo.InvariantCulture)}: sample input {SequenceText.Format(Row(data.TrainInputs.squeeze(-1), 0))}");
        output.WriteLine(data.ValidationCount > 0
            ? $"Training on {data.TrainCount} samples, validating on the last {data.ValidationCount} ({settings.Training.ValidationSplit.ToString("G", CultureInfo.InvariantCulture)} of the data); device {device.type.ToString().ToLowerInvariant()}, {settings.Threads} thread(s)"
            : $"Training on {data.TrainCount} samples, no validation; device {device.type.ToString().ToLowerInvariant()}, {settings.Threads} thread(s)");
        output.WriteLine();

        // 3. Model
        using var model = ModelFactory.Create(settings.Model with { InputSize = 1 }, settings.Training.Seed, device, settings.Training.Init);
        ModelSummaryView.Write(console.Ansi, model.GetName(), model.Summarize());
        output.WriteLine($"Optimizer: Adam (lr {settings.Training.LearningRate.ToString(CultureInfo.InvariantCulture)}, {settings.Training.Schedule.ToString().ToLowerInvariant()} schedule), loss: MSE, {settings.Training.Epochs} epochs, batch {settings.Training.BatchSize}, {settings.Training.Init.ToString().ToLowerInvariant()} init" +
            (settings.Training.Patience > 0 ? $", early stopping (patience {settings.Training.Patience})" : ""));
        output.WriteLine();

        // 4. Training. After every epoch the model file is replaced (atomically) by the new weights and
        // history, so a crash or a kill never costs a completed epoch.
        var progress = new KerasProgress(output, settings.Verbosity, console.Interactive);
        var manifest = new ModelManifest(settings.Model, settings.Data, scaler.Divisor, settings.Training, [], "running", ModelManifest.Producer);
        var completed = new List<EpochResult>();
        var history = Trainer.Fit(model, data, settings.Training, e =>
        {
            progress.Observe(e);
            if (e is EpochCompleted done && settings.SavePath is { } checkpoint)
            {
                completed.Add(done.Result);
                ModelFile.Save(checkpoint, model, manifest with { History = completed.ToList() }, durable: false);
            }
        }, cancellation);
        interrupts?.Dispose(); // from here on a signal ends the process (see Interrupts.Dispose)
        output.WriteLine();
        return Finish(settings, console, model, scaler, device, history, manifest, interrupts);
    }

    private static int Finish(
        TrainSettings settings, CliConsole console, SequenceRegressor model, SequenceScaler scaler, Device device,
        TrainingHistory history, ModelManifest manifest, Interrupts? interrupts)
    {
        var output = console.Out;
        var stop = history.Stop;
        if (history.Epochs.Count == 0)
        {
            console.WriteError(stop.Reason == StopReason.NonFiniteLoss
                ? $"the loss became non-finite at epoch {stop.Epoch}, step {stop.Step}, before any epoch completed; nothing was written (try a smaller --lr)"
                : $"interrupted by {interrupts?.SignalName} before the first epoch completed; nothing was written");
            return stop.Reason == StopReason.NonFiniteLoss ? ExitCodes.Failure : interrupts?.ExitCode ?? ExitCodes.Failure;
        }

        var last = history.Epochs[^1];
        output.WriteLine($"Final loss: {KerasProgress.Loss(last.Loss)}" + (last.ValidationLoss is { } v ? $"  val_loss: {KerasProgress.Loss(v)}" : ""));

        // 5. Plot, history and model: the completed epochs, whatever stopped the run.
        var written = new List<string>();
        var plotPath = Path.Combine(settings.OutputFolder, "loss.png");
        var csvPath = Path.Combine(settings.OutputFolder, "history.csv");
        HistoryCsv.Write(csvPath, history);
        written.Add(csvPath);
        LossPlot.Write(plotPath, history);
        written.Add(plotPath);
        if (settings.SavePath is { } savePath)
        {
            ModelFile.Save(savePath, model, manifest with { History = history.Epochs, StoppedBy = stop.Reason.ToString().ToLowerInvariant() });
            var ptPath = PyTorchExport.PathBeside(savePath);
            PyTorchExport.Save(ptPath, model);
            written.Add(savePath);
            written.Add(ptPath);
        }

        output.WriteLine($"Saved {string.Join(", ", written)}");
        output.WriteLine();

        switch (stop.Reason)
        {
            case StopReason.NonFiniteLoss:
                console.WriteError($"the loss became non-finite at epoch {stop.Epoch}, step {stop.Step}; stopped (as Keras' TerminateOnNaN) " +
                                   $"and kept the {history.Epochs.Count} completed epoch(s) and their model (try a smaller --lr)");
                return ExitCodes.Failure;
            case StopReason.Interrupted:
                output.WriteLine($"Interrupted by {interrupts?.SignalName} in epoch {stop.Epoch} (step {stop.Step}); kept the {history.Epochs.Count} completed epoch(s).");
                output.Flush();
                return interrupts?.ExitCode ?? ExitCodes.Failure;
        }

        if (stop.Reason == StopReason.EarlyStopped)
        {
            output.WriteLine($"Early stopping after epoch {stop.Epoch}: no improvement for {settings.Training.Patience} epochs; restored the weights of the best epoch, {history.BestEpoch}.");
            output.WriteLine();
        }

        // 6. Prediction
        var predictions = Predictor.Predict(model, scaler, settings.Predict, device);
        for (var i = 0; i < predictions.Length; i++)
        {
            output.WriteLine($"Input sequence: {SequenceText.Format(settings.Predict[i])}");
            output.WriteLine($"Predicted next value: {predictions[i].ToString("F2", CultureInfo.InvariantCulture)}");
        }

        // 7. How good is it really: fresh sequences, and sequences unlike the training data.
        if (settings.EvalCount > 0)
        {
            output.WriteLine();
            var evaluationSeed = settings.Training.Seed + 1000;
            var results = Evaluator.RunAll(model, scaler, EvaluationSet.Standard(settings.Data, settings.EvalCount), evaluationSeed, device);
            EvaluationView.Write(console.Ansi, results, settings.Data, evaluationSeed);
            var scatterPath = Path.Combine(settings.OutputFolder, "predictions.png");
            PredictionPlot.Write(scatterPath, results[0], results[1]);
            output.WriteLine($"Saved {scatterPath} (predicted against true: {results[0].Set.Name} and {results[1].Set.Name})");
        }

        return ExitCodes.Ok;
    }

    private static double[] Row(Tensor t, long i)
    {
        using var row = t[i].to(CPU);
        return row.data<float>().Select(v => (double)v).ToArray();
    }

    private static string Shape(Tensor t) =>
        t.shape.Length == 1 ? $"({t.shape[0]},)" : "(" + string.Join(", ", t.shape) + ")";
}
