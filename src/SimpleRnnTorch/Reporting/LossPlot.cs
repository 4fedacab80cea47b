using ScottPlot;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Reporting;

/// <summary>The lesson's figure: training and validation loss per epoch, 1000x600 PNG.</summary>
public static class LossPlot
{
    public const int Width = PlotStyle.Width;
    public const int Height = PlotStyle.Height;
    public static readonly Color TrainColor = PlotStyle.Blue;
    public static readonly Color ValidationColor = PlotStyle.Orange;

    /// <param name="width">Pixels; only the start-up warm-up asks for less than the lesson's 1000x600.</param>
    public static byte[] Render(TrainingHistory history, int width = Width, int height = Height)
    {
        var plot = new Plot();
        var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();

        var train = plot.Add.ScatterLine(epochs, history.Loss.ToArray());
        train.Color = TrainColor;
        train.LineWidth = 2;
        train.LegendText = "Training Loss";

        if (history.HasValidation)
        {
            var validation = plot.Add.ScatterLine(epochs, history.ValidationLoss.ToArray());
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

        plot.Axes.Margins(bottom: 0); // losses are never negative: start the y axis at 0 as the lesson does
        return PlotStyle.ToPng(plot, "Model Loss During Training", "Epoch", "Loss (MSE)", Alignment.UpperRight, width, height);
    }

    public static void Write(string path, TrainingHistory history) => AtomicFile.WriteAllBytes(path, Render(history));
}
