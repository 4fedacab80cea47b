using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Reporting;

/// <summary>How the loss figure scales its y axis.</summary>
internal enum LossScale
{
    /// <summary>
    /// <see cref="Log"/> when the finite positive losses (training and validation together) span more
    /// than two decades, else <see cref="Linear"/>: see <see cref="LossPlot.UsesLogAxis"/>.
    /// </summary>
    Auto,

    /// <summary>The lesson's figure: a linear axis starting at 0.</summary>
    Linear,

    /// <summary>A base-10 logarithmic axis labelled in powers of ten; losses that are not finite and positive are left out.</summary>
    Log,
}

/// <summary>The lesson's figure: training and validation loss per epoch, 1000x600 PNG.</summary>
internal static class LossPlot
{
    public const string FileName = "loss.png";

    public const int Width = PlotStyle.Width;
    public const int Height = PlotStyle.Height;
    public static readonly Color TrainColor = PlotStyle.Blue;
    public static readonly Color ValidationColor = PlotStyle.Orange;

    /// <summary>The largest max/min ratio of the losses that <see cref="LossScale.Auto"/> still draws linearly: two decades.</summary>
    public const double AutoLogRatio = 100;

    /// <summary>
    /// Whether <paramref name="scale"/> gives <paramref name="history"/> a logarithmic y axis. Auto does when
    /// the largest finite positive loss (training or validation) is more than <see cref="AutoLogRatio"/> times
    /// the smallest: on a linear axis from 0 everything below 1% of the top is a flat line at the bottom,
    /// where the validation curve disappears under the training curve.
    /// </summary>
    public static bool UsesLogAxis(TrainingHistory history, LossScale scale) => scale switch
    {
        LossScale.Linear => false,
        LossScale.Log => true,
        _ => SpansMoreThan(history, AutoLogRatio),
    };

    /// <param name="scale">Linear is the lesson's look; Auto (the default) switches to Log beyond two decades.</param>
    /// <param name="width">Pixels; the lesson's 1000x600 unless asked otherwise.</param>
    public static byte[] Render(TrainingHistory history, LossScale scale = LossScale.Auto, int width = Width, int height = Height)
    {
        var log = UsesLogAxis(history, scale);
        var plot = new Plot();
        var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();

        var train = AddCurve(plot, epochs, history.Loss, log);
        train.Color = TrainColor;
        train.LineWidth = 2;
        train.LegendText = "Train Loss";

        if (history.HasValidation)
        {
            var validation = AddCurve(plot, epochs, history.ValidationLoss, log);
            validation.Color = ValidationColor;
            validation.LineWidth = 2;
            validation.LinePattern = LinePattern.Dashed;
            validation.LegendText = "Validation Loss";
        }

        // Mark the epoch whose weights the model keeps, and an early stop, as Keras users look for them.
        if (history.Epochs.Count > 1 && history.BestEpoch > 0)
        {
            var best = plot.Add.VerticalLine(history.BestEpoch);
            best.Color = Colors.Gray;
            best.LinePattern = LinePattern.Dotted;
            best.LegendText = $"Best epoch ({history.BestEpoch})";
        }

        if (history.Stop.Reason != StopReason.Completed && history.Epochs.Count > 0)
        {
            var stop = plot.Add.VerticalLine(history.Epochs[^1].Epoch);
            stop.Color = Colors.Red.WithAlpha(0.6);
            stop.LinePattern = LinePattern.Dashed;
            stop.LegendText = history.Stop.Reason switch
            {
                StopReason.EarlyStopped => $"Early stop ({history.Epochs[^1].Epoch})",
                StopReason.Interrupted => $"Interrupted ({history.Epochs[^1].Epoch})",
                _ => $"Stopped: non-finite loss ({history.Epochs[^1].Epoch})",
            };
        }

        if (log)
        {
            UseLogAxis(plot, history);
        }
        else
        {
            plot.Axes.Margins(bottom: 0); // losses are never negative: start the y axis at 0 as the lesson does
        }

        var yLabel = log ? "Loss (MSE, log scale)" : "Loss (MSE)";
        return PlotStyle.ToPng(plot, "Model Loss During Training", "Epoch", yLabel, Alignment.UpperRight, width, height);
    }

    public static void Write(string path, TrainingHistory history, LossScale scale = LossScale.Auto) =>
        AtomicFile.WriteAllBytes(path, Render(history, scale));

    /// <summary>
    /// One loss curve. On the log axis ScottPlot draws log10 of the losses on a linear axis whose labels
    /// read 10^k; a loss that is zero, negative, NaN or infinite has no logarithm, so its epoch is left out
    /// and the line joins its neighbours (a run stopped for a non-finite loss says so in the legend).
    /// </summary>
    private static ScottPlot.Plottables.Scatter AddCurve(Plot plot, double[] epochs, IReadOnlyList<double> losses, bool log)
    {
        if (!log)
        {
            return plot.Add.ScatterLine(epochs, losses.ToArray());
        }

        var kept = Enumerable.Range(0, epochs.Length).Where(i => IsDrawableOnLog(losses[i])).ToArray();
        return plot.Add.ScatterLine(kept.Select(i => epochs[i]).ToArray(), kept.Select(i => Math.Log10(losses[i])).ToArray());
    }

    /// <summary>
    /// Ticks at every power of ten, labelled as such, with faint minor grid lines at 2..9 x 10^k (the y
    /// axis only: the epochs keep today's grid). Fewer than two powers of ten inside the data (a forced Log
    /// on a narrow range) would leave the axis with one label or none: it shows the whole decades around it.
    /// </summary>
    private static void UseLogAxis(Plot plot, TrainingHistory history) =>
        PlotStyle.UseLogAxisY(plot, DrawableLosses(history).Select(Math.Log10).ToArray());

    /// <summary>The label of the tick at log10(loss) = <paramref name="exponent"/>: "1e-5" .. "1e-1", "1", "10", "100", "1e3" ...</summary>
    internal static string PowerOfTenLabel(double exponent)
    {
        var k = Math.Round(exponent);
        if (Math.Abs(exponent - k) > 1e-6)
        {
            // Not a power of ten (the ticks are whole exponents only; kept for safety).
            return Math.Pow(10, exponent).ToString("G2", CultureInfo.InvariantCulture);
        }

        return k is >= 0 and <= 2
            ? Math.Pow(10, k).ToString("0", CultureInfo.InvariantCulture)
            : "1e" + k.ToString("0", CultureInfo.InvariantCulture);
    }

    private static bool SpansMoreThan(TrainingHistory history, double ratio)
    {
        var losses = DrawableLosses(history).ToArray();
        return losses.Length > 0 && losses.Max() > ratio * losses.Min();
    }

    private static IEnumerable<double> DrawableLosses(TrainingHistory history) =>
        history.Epochs.SelectMany(e => e.ValidationLoss is { } v ? [e.Loss, v] : new[] { e.Loss }).Where(IsDrawableOnLog);

    private static bool IsDrawableOnLog(double loss) => double.IsFinite(loss) && loss > 0;
}
