using System.Globalization;
using SimpleRnnTorch.Evaluation;
using Spectre.Console;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>
/// A panel run's results, sized for a terminal whatever the number of series: one table of every forecaster across the
/// series (mean and median MASE, and on how many series the model beats it), the worst series, the interval, and where
/// the forecasts of every series are (forecast.csv), never a row per series.
/// </summary>
internal static class PanelView
{
    /// <summary>The worst series named.</summary>
    public const int WorstShown = 3;

    public static void Write(IAnsiConsole console, TextWriter output, PanelOutcome outcome)
    {
        var n = outcome.Series.Count;
        var h = outcome.Backtested.Select(s => s.Backtest!.Horizon).Distinct().ToArray();
        var title = $"Backtest of {outcome.Backtested.Count()} series: each forecasts its last {(h.Length == 1 ? h[0].ToString(CultureInfo.InvariantCulture) : $"{h.Min()}-{h.Max()}")} values from before them";
        var table = new Table { Border = TableBorder.Square, Title = new TableTitle(Markup.Escape(title)) };
        table.AddColumn("forecaster");
        table.AddColumn(new TableColumn("series").RightAligned());
        table.AddColumn(new TableColumn("mean MASE").RightAligned());
        table.AddColumn(new TableColumn("median MASE").RightAligned());
        table.AddColumn(new TableColumn("model better on").RightAligned());
        foreach (var (score, i) in outcome.Scores.Select((s, i) => (s, i)))
        {
            table.AddRow(Markup.Escape(score.Name), score.Series.ToString(CultureInfo.InvariantCulture), Number(score.MeanMase), Number(score.MedianMase),
                i == 0 ? "" : $"{score.Beaten}/{score.Series} ({Percent((double)score.Beaten / score.Series)})");
        }

        console.Write(table);
        output.WriteLine("MASE: each series' MAE over its naive forecast's MAE on the values before the origin; below 1 beats that.");
        var worst = outcome.Worst(WorstShown).Select(s =>
        {
            var best = s.Backtest!.Forecasters.Skip(1).Where(f => double.IsFinite(f.MeanMase)).MinBy(f => f.MeanMase);
            return $"{Common.Excerpt.Of(s.Series.Name)} {Number(s.Model!.MeanMase)}" + (best is null ? "" : $" ({best.Name} {Number(best.MeanMase)})");
        });
        output.WriteLine($"Worst series for the model: {string.Join("; ", worst)}");
        var forecastOnly = outcome.Series.Where(s => s.Backtest is null).ToList();
        if (forecastOnly.Count > 0)
        {
            output.WriteLine($"Forecast without a backtest, too short to train on: {forecastOnly.Count} series ({Names(forecastOnly.Select(s => s.Series).ToList())})");
        }

        if (outcome.Skipped.Count > 0)
        {
            output.WriteLine($"Left out, shorter than the window: {outcome.Skipped.Count} series ({Names(outcome.Skipped)})");
        }

        output.WriteLine();
        var coverage = double.IsNaN(outcome.Coverage) ? "" : $"; on each series' most recent origins, the interval from the older ones held {Percent(outcome.Coverage)}";
        var why = outcome.SmoothingReason is { } reason ? $"; the share: {reason}" : "";
        var min = Inference.SmoothingCombination.MinimumValues;
        var unsmoothed = (outcome.Unsmoothed.Count > 0
            ? $"; {outcome.Unsmoothed.Count} series of fewer than {min} values, the network's alone: {Names(outcome.Unsmoothed)}"
            : "") + (outcome.UnsmoothedBacktests.Count > 0
            ? $"; {outcome.UnsmoothedBacktests.Count} series whose training part holds fewer than {min} values, backtested by the network alone: {Names(outcome.UnsmoothedBacktests)}"
            : "");
        var combined = outcome.Smoothing switch
        {
            null => outcome.SmoothingTooShort ? $" (the network's alone, no exponential smoothing beside it: every series' training part holds fewer than {min} values)" : "",
            { Weight: 1 } => $" (exponential smoothing's alone, fitted on each series, its form chosen by AICc{why}{unsmoothed})",
            var smoothing => $" ({SeriesView.Combination(smoothing)}, fitted on each series, its form chosen by AICc{why}{SeriesView.Unseasoned(smoothing, "a series'", outcome.Shares)}{unsmoothed})",
        };
        output.WriteLine($"Forecast: the next {outcome.Horizon} values of each of the {n} series{combined}, with an interval of {Percent(outcome.Interval.Level)} " +
                         $"from the backtest errors of {outcome.IntervalOrigins:N0} origins across the series, in spreads of each window{coverage}.");
    }

    /// <summary>The first five series as "name (length)", escaped and shortened, "..." after them when there are more.</summary>
    internal static string Names(IReadOnlyList<Data.Series> series) =>
        string.Join(", ", series.Take(5).Select(s => $"{Common.Excerpt.Of(s.Name)} ({s.Length})")) + (series.Count > 5 ? ", ..." : "");

    private static string Number(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
