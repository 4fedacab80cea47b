using System.Globalization;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>
/// Renders training events the way Keras' model.fit(verbose=...) does:
///   0: nothing; 1: "Epoch 3/30" then a bar redrawn in place (only its final state when the output is
///   not a terminal, so CI logs stay readable); 2: one line per epoch.
/// Hand-written rather than a Spectre progress display: Keras leaves each finished epoch's line behind
/// and redraws only the current one, which a single carriage return does exactly.
/// </summary>
internal sealed class KerasProgress(TextWriter output, int verbosity, bool interactive) : ITrainingObserver
{
    private const int BarWidth = 30;

    // ANSI "erase to end of line": a redrawn line may be shorter than the one it replaces.
    private const string ClearToEndOfLine = "\u001b[K";
    private long lastDraw;
    private int stepsInEpoch;

    public void Observe(TrainingEvent e)
    {
        switch (e)
        {
            case EpochStarted s:
                stepsInEpoch = s.Steps;
                if (verbosity == 1)
                {
                    output.WriteLine($"Epoch {s.Epoch}/{s.Epochs}");
                }

                break;
            case StepCompleted s when verbosity == 1 && interactive && s.Step < s.Steps:
                // Redraw at most ~20 times a second: a terminal write costs more than a training step.
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                if (s.Step == 1 || System.Diagnostics.Stopwatch.GetElapsedTime(lastDraw, now).TotalMilliseconds >= 50)
                {
                    lastDraw = now;
                    output.Write($"\r{Bar(s.Step, s.Steps)} - loss: {Loss(s.RunningLoss)}{ClearToEndOfLine}");
                    output.Flush();
                }

                break;
            case EpochCompleted c when verbosity == 1:
                output.WriteLine($"{(interactive ? "\r" : "")}{Bar(stepsInEpoch, stepsInEpoch)} - {Seconds(c.Result.Duration)} {PerStep(c.Result.Duration, stepsInEpoch)} - {Metrics(c.Result)}{(interactive ? ClearToEndOfLine : "")}");
                break;
            case EpochCompleted c when verbosity == 2:
                output.WriteLine($"Epoch {c.Result.Epoch}/{c.Epochs} - {Seconds(c.Result.Duration)} - {Metrics(c.Result)} - lr: {c.Result.LearningRate.ToString("0.####e+0", CultureInfo.InvariantCulture)}");
                break;
        }
    }

    private static string Bar(int step, int steps)
    {
        var width = steps.ToString(CultureInfo.InvariantCulture).Length;
        var done = (int)((long)BarWidth * step / steps);
        var bar = step >= steps ? new string('=', BarWidth) : new string('=', Math.Max(done - 1, 0)) + ">" + new string('.', BarWidth - Math.Max(done, 1));
        return $"{step.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{steps} [{bar}]";
    }

    private static string Metrics(EpochResult r) =>
        $"loss: {Loss(r.Loss)}" + (r.ValidationLoss is { } v ? $" - val_loss: {Loss(v)}" : "");

    /// <summary>Keras' number format (4 decimals), scientific where that would show only zeros or too many digits.</summary>
    public static string Loss(double value) =>
        (Math.Abs(value) >= 1e-3 && Math.Abs(value) < 1e6) || value == 0
            ? value.ToString("0.0000", CultureInfo.InvariantCulture)
            : value.ToString("0.0000e+00", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s";

    private static string PerStep(TimeSpan t, int steps)
    {
        var us = t.TotalMicroseconds / Math.Max(steps, 1);
        return us >= 1000 ? $"{(us / 1000).ToString("0", CultureInfo.InvariantCulture)}ms/step" : $"{us.ToString("0", CultureInfo.InvariantCulture)}us/step";
    }
}
