using System.Globalization;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>
/// The lesson, told step by step as a run goes: the data and its shapes, the model summary, Keras-style
/// epochs (<see cref="KerasProgress"/>), then the results, the files, the prediction and the evaluation.
/// Everything it prints comes from the pipeline's events and its <see cref="TrainingRun"/>.
/// </summary>
internal sealed class TrainView(CliConsole console, int verbosity) : ITrainingObserver
{
    /// <summary>Keras' model.fit default: a progress bar per epoch.</summary>
    public const int DefaultVerbosity = 1;

    private readonly TextWriter output = console.Out;
    private readonly KerasProgress progress = new(console.Out, verbosity, console.Interactive);

    public void Observe(TrainingEvent e)
    {
        switch (e)
        {
            case DataPrepared prepared:
                WriteData(prepared.Data, $"device {prepared.Device}, {prepared.Threads} thread(s)");
                break;
            case ModelCreated m:
                ModelSummaryView.Write(console.Ansi, m.Name, m.Spec.Summarize());
                var t = m.Training;
                output.WriteLine($"Optimizer: Adam (lr {N(t.LearningRate)}, {Lower(t.Schedule)} schedule), loss: MSE, {t.Epochs} epochs, batch {t.BatchSize}, {Lower(t.Init)} init" +
                                 (t.Patience > 0 ? $", early stopping (patience {t.Patience})" : ""));
                output.WriteLine();
                break;
            case FitEnded:
                output.WriteLine();
                break;
            default:
                progress.Observe(e);
                break;
        }
    }

    private void WriteData(DataSummary d, string where)
    {
        switch (d.Source)
        {
            case SeriesData:
                WriteSeries(d, d.Series!, where);
                break;
            case AddingData adding:
                WriteAddingData(d, adding, where);
                break;
            case LessonData lesson:
                WriteLessonData(d, lesson, where);
                break;
        }

        output.WriteLine();
    }

    private void WriteLessonData(DataSummary d, LessonData lesson, string where)
    {
        var spec = lesson.Spec;
        output.WriteLine($"Generated {spec.Count} sequences of {spec.TimeSteps} steps: {spec.Describe()}, seed {d.Seed}");
        output.WriteLine($"Sample input: {SequenceText.Format(d.SampleInput)}  target: {d.SampleTarget.ToString("0.####", CultureInfo.InvariantCulture)}");
        output.WriteLine($"X shape: ({spec.Count}, {spec.TimeSteps})  y shape: ({spec.Count},)");
        output.WriteLine($"X reshaped for the RNN: ({string.Join(", ", d.InputShape)}) = (samples, time steps, features)");
        output.WriteLine($"Scaled by 1/{d.Scaler.Divisor.ToString("G", CultureInfo.InvariantCulture)}: sample input {SequenceText.Format(d.ScaledSampleInput)}");
        WriteSplit(d, where);
    }

    private void WriteSplit(DataSummary d, string where) =>
        output.WriteLine(d.ValidationCount > 0
            ? $"Training on {d.TrainCount} samples, validating on the last {d.ValidationCount} ({d.ValidationSplit.ToString("G", CultureInfo.InvariantCulture)} of the data); {where}"
            : $"Training on {d.TrainCount} samples, no validation; {where}");

    /// <summary>Where the series came from, how it was cut into windows and split, and how it was scaled.</summary>
    private void WriteSeries(DataSummary d, SeriesSummary summary, string where)
    {
        var (series, windows) = (summary.Series, summary.Windows);
        var separator = series.Separator == '\t' ? "tab" : $"'{series.Separator}'";
        var span = series.Time is { } time ? $"; {time.Name} {series.Label(0)} to {series.Label(series.Length - 1)}, {time.Describe()}" : "";
        output.WriteLine($"Read {series.Length - series.Inserted} values of {series.Name} from {series.Source} in {Duration(summary.ReadTime)} " +
                         $"({separator} separated, {(series.HasHeader ? "with a header" : "no header")}{span})");
        if (series.Filled > 0)
        {
            output.WriteLine($"Filled {series.Filled} missing value(s) by linear interpolation (at either end: the nearest value)");
        }

        if (series.Inserted > 0)
        {
            output.WriteLine($"Inserted {series.Inserted} missing date(s) at the {series.Time!.Describe()} step of {series.Time.Name}, filled by linear interpolation: {series.Length} values");
        }

        var t = windows.TimeSteps;
        output.WriteLine($"Windows of {t} values -> the next value, in order: X ({string.Join(", ", d.InputShape)}) = (samples, time steps, features), y ({windows.Windows}, 1)");
        output.WriteLine($"Training part: the first {windows.TrainingValues} values ({Range(series, 0, windows.TrainingValues - 1)}), {windows.TrainWindows} windows, shuffled among themselves");
        output.WriteLine($"Validation part: the last {windows.ValidationWindows} windows ({d.ValidationSplit.ToString("G", CultureInfo.InvariantCulture)} of them), " +
                         $"targets {Range(series, windows.TrainingValues, series.Length - 1)}, in order");
        var relative = d.Scaler.Kind == ScalingKind.Ratio ? "x / last - 1" : "x - last";
        var (target, change) = d.Scaler.Kind == ScalingKind.Seasonal
            ? ($"the target relative to the value {d.Scaler.Lag} steps before it, ", "over a season")
            : ("the target also ", "a step");
        output.WriteLine($"Each window relative to its last value ({relative}), divided by {N4(d.Scaler.Divisor)}; {target}less the training part's " +
                         $"mean change {change} ({N4(d.Scaler.Offset)}): sample input {SequenceText.Format(d.SampleInput)} -> {SequenceText.Format(d.ScaledSampleInput)}, " +
                         $"target {N4(d.SampleTarget)} -> {N4(d.Scaler.TransformTarget(d.SampleTarget, d.SampleInput))}");
        output.WriteLine(char.ToUpperInvariant(where[0]) + where[1..]);
    }

    private static string Range(Series series, long first, long last) =>
        series.Time is { IsRegular: true } time ? $"{time.Name} {series.Label(first)} to {series.Label(last)}" : $"values {first + 1} to {last + 1}";

    private static string Duration(TimeSpan elapsed) =>
        elapsed.TotalSeconds >= 1 ? $"{elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s" : $"{elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";

    /// <summary>The adding problem's data: what a sequence holds, where its markers are, the shapes and the split.</summary>
    private void WriteAddingData(DataSummary d, AddingData adding, string where)
    {
        output.WriteLine($"Generated {adding.Count} adding-problem sequences of {adding.TimeSteps} steps, seed {d.Seed}: each step is (value uniform in [0, 1), marker),");
        output.WriteLine($"  the marker 1 at one step of the first half and one of the second; the target is the sum of the two marked values");
        var marked = Enumerable.Range(0, adding.TimeSteps).Where(t => d.SampleInput[(2 * t) + 1] == 1).ToArray();
        output.WriteLine($"Sample: marked steps {string.Join(" and ", marked)}: " +
                         $"{string.Join(" + ", marked.Select(t => N4(d.SampleInput[2 * t])))} = target {N4(d.SampleTarget)}");
        output.WriteLine($"X shape: ({string.Join(", ", d.InputShape)}) = (samples, time steps, features)  y shape: ({adding.Count}, 1); not scaled");
        output.WriteLine($"Predicting the constant 1 scores MSE {N4(AddingProblem.ConstantGuessMse)}; below {N(AddingProblem.LearnedMse)} the network remembers");
        WriteSplit(d, where);
    }

    private static string N4(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

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

        switch (run.Outcome)
        {
            case SeriesOutcome outcome:
                if (run.Predictions.Count > 0)
                {
                    output.WriteLine();
                }

                SeriesView.Write(console.Ansi, output, outcome);
                if (outcome.Written.Count > 0)
                {
                    output.WriteLine();
                    output.WriteLine($"Saved {string.Join(" and ", outcome.Written)} (the series, the one-step predictions, the forecast and its interval)");
                }

                break;
            case AddingScore score:
                output.WriteLine($"Test MSE on {score.Count} fresh sequences (seed {score.Seed}): {KerasProgress.Loss(score.Mse)}; " +
                                 $"the constant guess 1 scores {KerasProgress.Loss(score.ConstantGuessMse)} on them");
                output.WriteLine(score.Learned
                    ? $"Below {N(AddingProblem.LearnedMse)}: the network remembers the marked values across {score.TimeSteps} steps."
                    : $"Not below {N(AddingProblem.LearnedMse)}: the network has not learned to remember the marked values across {score.TimeSteps} steps.");
                break;
            case LessonOutcome lesson:
                output.WriteLine();
                EvaluationView.Write(console.Ansi, lesson.Sets, ((LessonData)run.Job.Source).Spec, lesson.Seed);
                foreach (var plot in lesson.Written)
                {
                    var (test, outOfRange) = PredictionPlot.Pick(lesson.Sets);
                    output.WriteLine($"Saved {plot} (predicted against true: {test.Set.Name} and {outOfRange.Set.Name})");
                }

                break;
        }

        return Ending.Completed;
    }

    private static string N(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
