using ScottPlot;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;

namespace SimpleRnnTorch.Reporting;

/// <summary>
/// A panel's forecast.png: small multiples, one per series (up to <see cref="PanelSettings.MaxPlotted"/>: the ones asked
/// for, else the largest by mean level), each the series' recent values (blue), the forecast (violet, with markers) and its
/// interval as a band, on steps counted from the series' end (the legend on the first only); the title names the series, its last time and its backtest
/// MASE beside the best baseline's. Every series is in forecast.csv.
/// </summary>
internal static class PanelPlot
{
    /// <summary>The recent values each panel shows: five horizons, at least 48, so the forecast is not a speck beside years of data.</summary>
    public static int Shown(int horizon) => Math.Max(48, 5 * horizon);

    /// <summary>The series drawn: those asked for, in that order, else the largest by mean absolute level.</summary>
    public static IReadOnlyList<PanelSeriesOutcome> Chosen(PanelOutcome outcome, IReadOnlyList<string>? asked) => asked is { Count: > 0 }
        ? [.. asked.Take(PanelSettings.MaxPlotted).Select(id => outcome.Series.First(s => s.Series.Name == id))]
        : [.. outcome.Series.OrderByDescending(s => s.Series.Values.Average(v => Math.Abs((double)v))).Take(PanelSettings.MaxPlotted)];

    public static byte[] Render(PanelOutcome outcome, IReadOnlyList<string>? asked)
    {
        var font = PlotFont.Resolve();
        var chosen = Chosen(outcome, asked);
        var columns = chosen.Count <= 3 ? chosen.Count : chosen.Count <= 4 ? 2 : chosen.Count <= 9 ? 3 : 4;
        var rows = (chosen.Count + columns - 1) / columns;
        var multiplot = new Multiplot();
        multiplot.AddPlots(chosen.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (var k = 0; k < chosen.Count; k++)
        {
            Draw(multiplot.GetPlot(k), chosen[k], outcome.Interval.Level, font, legend: k == 0);
        }

        var width = 420 * columns;
        var height = 300 * rows;
        using var image = multiplot.Render(width, height);
        return image.GetImageBytes(ImageFormat.Png);
    }

    private static void Draw(Plot plot, PanelSeriesOutcome s, double level, string font, bool legend)
    {
        var values = s.Series.Values;
        var horizon = s.Forecast.Length;
        var shown = Math.Min(values.Length, Shown(horizon));
        double[] xs = [.. Enumerable.Range(-shown + 1, shown).Select(i => (double)i)];
        double[] ys = [.. values[^shown..].Select(v => (double)v)];
        var history = plot.Add.ScatterLine(xs, ys, PlotStyle.Blue);
        history.LineWidth = 1.5f;
        history.LegendText = "Series";

        double[] fx = [.. Enumerable.Range(0, horizon + 1).Select(i => (double)i)];
        double last = values[^1];
        var band = plot.Add.FillY(fx, [last, .. s.Lower], [last, .. s.Upper]);
        band.FillColor = ForecastPlot.ForecastColor.WithAlpha(0.22);
        band.LineWidth = 0;
        band.LegendText = $"{level * 100:0}% interval";
        var forecast = plot.Add.ScatterLine(fx, [last, .. s.Forecast], ForecastPlot.ForecastColor);
        forecast.LineWidth = 2;
        forecast.MarkerShape = MarkerShape.FilledCircle;
        forecast.MarkerSize = 4;
        forecast.LegendText = "Forecast";

        var best = s.Backtest?.Forecasters.Skip(1).Where(f => double.IsFinite(f.MeanMase)).MinBy(f => f.MeanMase);
        var mase = s.Model is { } model ? $"MASE {model.MeanMase:0.00}" + (best is null ? "" : $", best baseline {best.MeanMase:0.00}") : "no backtest (too short)";
        plot.Title($"{Common.Excerpt.Of(s.Series.Name)} (to {s.Series.Label(values.Length - 1)}): {mase}", size: 12);
        plot.XLabel(s.Series.Time is { } time ? $"{time.Name} steps from the end" : "steps from the end", size: 11);
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.12);
        plot.Grid.MajorLinePattern = LinePattern.Dashed;
        plot.Font.Set(font);
        if (legend)
        {
            plot.ShowLegend(Alignment.UpperLeft);
        }
        else
        {
            plot.HideLegend();
        }
    }
}
