using System.Globalization;
using ScottPlot;
using PlotStyle = SimpleRnnTorch.Reporting.PlotStyle;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;

namespace SimpleRnnTorch.Experiments;

/// <summary>
/// adding_mse.png: the adding problem's test MSE against the sequence length T, one line per cell through
/// the median over the seeds, every seed as a faint dot, the constant guess (≈ 0.167) and the "learned"
/// threshold (0.01) as reference lines; log y, and x at the measured T values on a log scale, 1000x600.
/// </summary>
internal static class AddingSweepPlot
{
    public const string FileName = "adding_mse.png";

    public static byte[] Render(IReadOnlyList<SweepPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var plot = new Plot();
        var logs = new List<double> { Math.Log10(AddingProblem.ConstantGuessMse), Math.Log10(AddingProblem.LearnedMse) };

        var guess = plot.Add.HorizontalLine(Math.Log10(AddingProblem.ConstantGuessMse));
        guess.Color = PlotStyle.Gray;
        guess.LinePattern = LinePattern.Dashed;
        guess.LineWidth = 1;
        guess.LegendText = "predict the constant 1 (1/6)";
        var learned = plot.Add.HorizontalLine(Math.Log10(AddingProblem.LearnedMse));
        learned.Color = PlotStyle.Gray;
        learned.LinePattern = LinePattern.Dotted;
        learned.LineWidth = 1;
        learned.LegendText = $"learned: below {AddingProblem.LearnedMse.ToString(CultureInfo.InvariantCulture)}";

        foreach (var cell in points.GroupBy(p => p.Cell))
        {
            var color = PlotStyle.CellColor(cell.Key);
            var ordered = cell.OrderBy(p => p.TimeSteps).ToList();
            // Every seed, faint, slightly apart so equal results do not hide each other.
            var seeds = ordered.SelectMany(p => p.Runs.Where(r => double.IsFinite(r.Mse) && r.Mse > 0)
                .Select(r => (X: Math.Log10(p.TimeSteps), Y: Math.Log10(r.Mse)))).ToList();
            logs.AddRange(seeds.Select(s => s.Y));
            var dots = plot.Add.Markers(seeds.Select(s => s.X).ToArray(), seeds.Select(s => s.Y).ToArray(), MarkerShape.FilledCircle, 5, color.WithAlpha(0.35));
            dots.LegendText = "";

            var medians = ordered.Where(p => double.IsFinite(p.MedianMse) && p.MedianMse > 0).ToList();
            var line = plot.Add.ScatterLine(medians.Select(p => Math.Log10(p.TimeSteps)).ToArray(), medians.Select(p => Math.Log10(p.MedianMse)).ToArray());
            logs.AddRange(medians.Select(p => Math.Log10(p.MedianMse)));
            line.Color = color;
            line.LineWidth = 2.5f;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.MarkerSize = 8;
            line.LegendText = $"{cell.Key.ToString().ToLowerInvariant()} (median of {ordered.Max(p => p.Runs.Count)} seeds)";
        }

        var steps = points.Select(p => p.TimeSteps).Distinct().Order().ToArray();
        plot.Axes.Bottom.SetTicks(steps.Select(t => Math.Log10(t)).ToArray(), steps.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray());
        if (steps.Length > 0)
        {
            plot.Axes.SetLimitsX(Math.Log10(steps[0]) - 0.08, Math.Log10(steps[^1]) + 0.08);
        }

        PlotStyle.UseLogAxisY(plot, logs);
        return PlotStyle.ToPng(plot, "Adding problem: test MSE against sequence length, same training budget",
            "Time steps T (log scale)", "Test MSE (log scale)", Alignment.UpperLeft);
    }

    public static void Write(string path, IReadOnlyList<SweepPoint> points) => AtomicFile.WriteAllBytes(path, Render(points));
}
