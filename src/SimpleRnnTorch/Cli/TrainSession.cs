using System.Globalization;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// The lesson, step by step, as one `dotnet run`: data, scaling, model, training, plot, prediction.
/// This is the only place that wires domain code to the console and the file system.
/// </summary>
public static class TrainSession
{
    public static int Run(TrainSettings settings, CliConsole console, CancellationToken cancellation = default)
    {
        var output = console.Out;
        // Cheap checks first: a bad folder or a missing font must not cost a training run.
        OutputFolder.EnsureWritable(settings.OutputFolder, "--output");
        PlotFont.Resolve();
        set_num_threads(settings.Threads);
        var device = DeviceChoice.Resolve(settings.Device);

        // 1. Data
        var spec = settings.Data;
        using var sequences = SequenceData.Generate(spec, settings.Training.Seed);
        var (inputs, targets) = SequenceData.SplitInputsTargets(sequences);
        using (inputs)
        using (targets)
        {
            output.WriteLine($"Generated {spec.Count} sequences of {spec.TimeSteps} steps: start in [{spec.StartMin}, {spec.StartMax}), step {spec.Step}, seed {settings.Training.Seed}");
            output.WriteLine($"Sample input: {SequenceText.Format(Row(inputs, 0))}  target: {Row(targets.unsqueeze(1), 0)[0]:0.####}");
            output.WriteLine($"X shape: {Shape(inputs)}  y shape: {Shape(targets)}");
            output.WriteLine($"X reshaped for the RNN: {Shape(inputs.unsqueeze(-1))} = (samples, time steps, features)");
        }

        // 2. Scaling and the validation split
        var scaler = new SequenceScaler();
        using var data = LessonDataset.Create(sequences, scaler, settings.Training.ValidationSplit, device);
        output.WriteLine($"Scaled by 1/{scaler.Divisor:0.##}: sample input {SequenceText.Format(Row(data.TrainInputs.squeeze(-1), 0))}");
        output.WriteLine(data.ValidationCount > 0
            ? $"Training on {data.TrainCount} samples, validating on the last {data.ValidationCount} ({settings.Training.ValidationSplit:0.##} of the data); device {device.type.ToString().ToLowerInvariant()}, {settings.Threads} thread(s)"
            : $"Training on {data.TrainCount} samples, no validation; device {device.type.ToString().ToLowerInvariant()}, {settings.Threads} thread(s)");
        output.WriteLine();

        // 3. Model
        using var model = ModelFactory.Create(settings.Model with { InputSize = 1 }, settings.Training.Seed, device);
        ModelSummaryView.Write(console.Ansi, model.GetName(), model.Summarize());
        output.WriteLine($"Optimizer: Adam (lr {settings.Training.LearningRate.ToString(CultureInfo.InvariantCulture)}, {settings.Training.Schedule.ToString().ToLowerInvariant()} schedule), loss: MSE, {settings.Training.Epochs} epochs, batch {settings.Training.BatchSize}");
        output.WriteLine();

        // 4. Training
        var progress = new KerasProgress(output, settings.Verbosity, console.Interactive);
        var history = Trainer.Fit(model, data, settings.Training, progress.Observe, cancellation);
        if (history.Epochs.Count > 0)
        {
            var last = history.Epochs[^1];
            output.WriteLine($"Final loss: {KerasProgress.Loss(last.Loss)}" + (last.ValidationLoss is { } v ? $"  val_loss: {KerasProgress.Loss(v)}" : ""));
        }

        // 5. Plot and history
        var plotPath = Path.Combine(settings.OutputFolder, "loss.png");
        var csvPath = Path.Combine(settings.OutputFolder, "history.csv");
        LossPlot.Write(plotPath, history);
        HistoryCsv.Write(csvPath, history);
        output.WriteLine($"Saved {plotPath} and {csvPath}");
        output.WriteLine();

        // 6. Prediction
        var predictions = Predictor.Predict(model, scaler, settings.Predict, device);
        for (var i = 0; i < predictions.Length; i++)
        {
            output.WriteLine($"Input sequence: {SequenceText.Format(settings.Predict[i])}");
            output.WriteLine($"Predicted next value: {predictions[i].ToString("F2", CultureInfo.InvariantCulture)}");
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
