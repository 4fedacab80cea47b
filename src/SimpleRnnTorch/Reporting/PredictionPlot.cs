using ScottPlot;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Evaluation;

namespace SimpleRnnTorch.Reporting;

/// <summary>
/// Predicted against true next value, 1000x600 PNG. A perfect model puts every marker on the diagonal;
/// showing an out-of-range set beside the test set makes visible where the network stops extrapolating.
/// </summary>
internal static class PredictionPlot
{
    public const string FileName = "predictions.png";

    public const int Width = PlotStyle.Width;
    public const int Height = PlotStyle.Height;
    public static readonly Color TestColor = PlotStyle.Blue;
    public static readonly Color OutOfRangeColor = PlotStyle.Orange;
    public static readonly Color DiagonalColor = Color.FromHex("#868e96");

    /// <summary>What the figure shows: the test set and the first set of larger starts, picked by their kind.</summary>
    public static (EvaluationResult Test, EvaluationResult OutOfRange) Pick(IReadOnlyList<EvaluationResult> results) =>
        (results.First(r => r.Set.Kind == EvaluationSetKind.Test), results.First(r => r.Set.Kind == EvaluationSetKind.LargerStarts));

    public static byte[] Render(IReadOnlyList<EvaluationResult> results)
    {
        var (test, outOfRange) = Pick(results);
        return Render(test, outOfRange);
    }

    public static byte[] Render(EvaluationResult test, EvaluationResult outOfRange)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(outOfRange);
        var plot = new Plot();

        // Drawn first so the markers sit on top of it.
        var (low, high) = Range(test, outOfRange);
        var diagonal = plot.Add.Line(low, low, high, high);
        diagonal.Color = DiagonalColor;
        diagonal.LineWidth = 1;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "y = x (perfect)";

        AddMarkers(plot, test, TestColor);
        AddMarkers(plot, outOfRange, OutOfRangeColor);

        return PlotStyle.ToPng(plot, "Predicted vs True Next Value", "True value", "Predicted value", Alignment.UpperLeft);
    }

    public static void Write(string path, IReadOnlyList<EvaluationResult> results) =>
        AtomicFile.WriteAllBytes(path, Render(results));

    private static void AddMarkers(Plot plot, EvaluationResult result, Color color)
    {
        var (xs, ys) = FinitePoints(result);
        var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 6, color);
        // The MAE in the legend keeps the figure honest when it is shown without the table.
        markers.LegendText = $"{result.Set.Name} (n = {result.Metrics.Count}, MAE {result.Metrics.Mae:0.##})";
    }

    // A diverged model predicts NaN or infinity; such points cannot be placed, and letting one through
    // would break the axis limits for all the others. The MAE in the legend still shows them.
    private static (double[] Xs, double[] Ys) FinitePoints(EvaluationResult result)
    {
        var points = result.Targets.Zip(result.Predictions)
            .Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second))
            .ToList();
        return (points.Select(p => p.First).ToArray(), points.Select(p => p.Second).ToArray());
    }

    private static (double Low, double High) Range(params EvaluationResult[] results)
    {
        var values = results.SelectMany(r =>
        {
            var (xs, ys) = FinitePoints(r);
            return xs.Concat(ys);
        }).ToList();
        return values.Count == 0 ? (0, 1) : (values.Min(), values.Max());
    }
}
