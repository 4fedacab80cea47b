using System.Globalization;
using SimpleRnnTorch.Cli.Sources;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>
/// The lesson, told step by step as a run goes: the data and its shapes, the model summary, Keras-style
/// epochs (<see cref="KerasProgress"/>), then the results, the files, the prediction and the evaluation.
/// Everything it prints comes from the pipeline's events and its <see cref="TrainingRun"/>.
/// </summary>
internal sealed class TrainView(CliConsole console, int verbosity, TrainJob job, SourceCli source) : ITrainingObserver
{
    /// <summary>Keras' model.fit default: a progress bar per epoch.</summary>
    public const int DefaultVerbosity = 1;

    private readonly TextWriter output = console.Out;
    private readonly KerasProgress progress = new(console.Out, verbosity, console.Interactive);
    private int? timeSteps;
    private DataSummary? data;

    public void Observe(TrainingEvent e)
    {
        switch (e)
        {
            case DataPrepared prepared:
                data = prepared.Data;
                timeSteps = prepared.Data.InputShape is [_, var steps, ..] ? (int)steps : null;
                WriteData(prepared.Data, $"device {prepared.Device}, {prepared.Threads} thread(s)");
                break;
            case ModelCreated m:
                ModelSummaryView.Write(console.Ansi, m.Name, m.Spec.Summarize(timeSteps));
                var t = m.Training;
                output.WriteLine($"Optimizer: Adam (lr {N(t.LearningRate)}, {Lower(t.Schedule)} schedule), loss: MSE, {t.Epochs} epochs, batch {t.BatchSize}" +
                                 (t.MaxStepsPerEpoch is { } most ? $" (at most {most} steps an epoch)" : "") +
                                 (t.MaxSamplesPerEpoch is { } samples ? $", {samples:N0} samples an epoch drawn afresh from the training part" : "") + (t.MaxValidationSamples is { } validation ? $", val_loss on {validation:N0} validation samples evenly spaced" : "") + $", {Lower(t.Init)} init" +
                                 (t.Patience > 0 ? $", early stopping (patience {t.Patience})" : ""));
                output.WriteLine();
                break;
            case FitEnded:
                output.WriteLine();
                break;
            case EvaluationStarted when data is not null && source.EvaluationNote(data) is { } note:
                output.WriteLine(note);
                break;
            case EvaluationStarted:
                break;
            default:
                progress.Observe(e);
                break;
        }
    }

    private void WriteData(DataSummary d, string where)
    {
        source.WriteData(output, job, d, where);
        output.WriteLine();
    }

    /// <summary>How many samples train and validate, and where.</summary>
    public static string Split(DataSummary d, string where) =>
        d.ValidationCount > 0
            ? $"Training on {d.TrainCount} samples, validating on the last {d.ValidationCount} ({d.ValidationSplit.ToString("G", CultureInfo.InvariantCulture)} of the data); {where}"
            : $"Training on {d.TrainCount} samples, no validation; {where}";

    public static string N4(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The results of a run, and how it ended.</summary>
    public Ending Finish(TrainingRun run, Signal? signal)
    {
        var history = run.History;
        var stop = history.Stop;
        var interrupted = new Ending.Interrupted(signal ?? Signal.Interrupt);
        if (history.Epochs.Count == 0)
        {
            console.WriteError(stop.Reason == StopReason.NonFiniteLoss
                ? $"the loss became non-finite at epoch {stop.Epoch}, step {stop.Step}, before any epoch completed; no epoch was kept (try a smaller --lr)"
                : $"interrupted by {interrupted.Signal.Name()} before the first epoch completed; no epoch was kept");
            return stop.Reason == StopReason.NonFiniteLoss ? Ending.Diverged : interrupted;
        }

        var last = history.Epochs[^1];
        output.WriteLine($"Final loss: {KerasProgress.Loss(last.Loss)}" + (last.ValidationLoss is { } v ? $"  val_loss: {KerasProgress.Loss(v)}" : ""));
        var evaluationFiles = run.Outcome?.Written ?? [];
        var files = run.Written.Except(evaluationFiles).ToList();
        if (files.Count > 0)
        {
            output.WriteLine($"Saved {string.Join(", ", files)}");
        }

        output.WriteLine();
        if (run.EvaluationStopped)
        {
            output.WriteLine($"Interrupted by {interrupted.Signal.Name()} during the evaluation (the backtest and forecast); kept the {history.Epochs.Count} completed epoch(s) and the model, without a forecast.");
            output.Flush();
            return interrupted;
        }

        switch (stop.Reason)
        {
            case StopReason.NonFiniteLoss:
                console.WriteError($"the loss became non-finite at epoch {stop.Epoch}, step {stop.Step}; stopped (as Keras' TerminateOnNaN) " +
                                   $"and kept the {history.Epochs.Count} completed epoch(s) and their model (try a smaller --lr)");
                return Ending.Diverged;
            case StopReason.Interrupted:
                output.WriteLine($"Interrupted by {interrupted.Signal.Name()} in epoch {stop.Epoch} (step {stop.Step}); kept the {history.Epochs.Count} completed epoch(s).");
                output.Flush();
                return interrupted;
            case StopReason.EarlyStopped:
                output.WriteLine($"Early stopping after epoch {stop.Epoch}: no improvement for {run.Job.Training.Patience} epochs; restored the weights of the best epoch, {history.BestEpoch}.");
                output.WriteLine();
                break;
        }

        for (var i = 0; i < run.Predictions.Count; i++)
        {
            output.WriteLine($"Input sequence: {SequenceText.Format(run.Job.Predict[i])}");
            output.WriteLine($"Predicted next value: {run.Predictions[i].ToString("F2", CultureInfo.InvariantCulture)}");
        }

        source.WriteOutcome(console, run);
        return Ending.Completed;
    }

    public static string N(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
