using ScottPlot;
using PlotStyle = SimpleRnnTorch.Reporting.PlotStyle;
using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Experiments;

/// <summary>
/// gradients.png: ‖∂L/∂x_t‖ against the number of steps before the end of the sequence, on a log axis,
/// one colour per cell (<see cref="PlotStyle.CellColor"/>), trained solid and initial dashed, 1000x600.
/// A vanishing gradient is a line falling towards the right: the start of the sequence no longer
/// reaches the loss.
/// </summary>
internal static class GradientPlot
{
    public const string FileName = "gradients.png";

    public static byte[] Render(IReadOnlyList<CellGradients> cells, int samples)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var plot = new Plot();
        var logs = new List<double>();
        var timeSteps = cells.Count > 0 ? cells[0].Trained.TimeSteps : 1;
        foreach (var cell in cells)
        {
            foreach (var profile in new[] { cell.Trained, cell.Init })
            {
                // x = steps before the end: the last step is 0, the first T-1. A norm that is zero (or not
                // finite) has no logarithm; its point is left out and the line joins its neighbours.
                var kept = Enumerable.Range(0, profile.TimeSteps).Where(t => double.IsFinite(profile.Norms[t]) && profile.Norms[t] > 0).ToArray();
                var xs = kept.Select(t => (double)(profile.TimeSteps - 1 - t)).ToArray();
                var ys = kept.Select(t => Math.Log10(profile.Norms[t])).ToArray();
                logs.AddRange(ys);
                var line = plot.Add.ScatterLine(xs, ys);
                line.Color = PlotStyle.CellColor(cell.Cell);
                line.LineWidth = profile.Phase == GradientPhase.Trained ? 2.5f : 1.5f;
                line.LinePattern = profile.Phase == GradientPhase.Trained ? LinePattern.Solid : LinePattern.Dashed;
                line.LegendText = $"{Name(cell)}, {(profile.Phase == GradientPhase.Trained ? "trained" : "at init")}";
            }
        }

        PlotStyle.UseLogAxisY(plot, logs);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true }; // steps are whole
        plot.Axes.SetLimitsX(-0.5, Math.Max(timeSteps - 0.5, 1));
        return PlotStyle.ToPng(plot,
            $"Gradient through time on the adding task, T = {timeSteps} (mean over {samples} sequences)",
            "Steps before the end of the sequence (0 = last step)",
            "‖∂L/∂x_t‖ (log scale)",
            Alignment.LowerLeft);
    }

    public static void Write(string path, IReadOnlyList<CellGradients> cells, int samples) =>
        AtomicFile.WriteAllBytes(path, Render(cells, samples));

    private static string Name(CellGradients cell) => cell.Cell.ToString().ToLowerInvariant();
}
