using System.CommandLine;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;

namespace SimpleRnnTorch.Cli.Sources;

/// <summary>
/// The panel side of `--data` (<see cref="SeriesCli"/> owns the options; a panel is asked for by --id-column, or by
/// --column naming several columns or all): binding to a <see cref="PanelData"/>, its size for the budget, and how
/// its data and outcome are told.
/// </summary>
internal static class PanelCli
{
    public static (DataSource? Source, string? Problem) Bind(ParseResult parse, SeriesCli cli, string data, string? column, string? idColumn, int? window)
    {
        var problem =
            parse.Given(cli.Scaling) ? "--scaling does not apply to a panel: each window of every series is divided by its own spread, so that one network serves them all"
            : idColumn is not null && column is not null && (column.Contains(',') || column.Trim() == PanelLayout.AllColumns)
                ? "--column names the one value column of a long panel (--id-column); several columns, or all, make a wide one: give one or the other"
            : idColumn is { } id && string.IsNullOrWhiteSpace(id) ? "--id-column must name a column"
            : idColumn is { } open && OptionKit.SplitList(open) is null ? $"--id-column '{Common.Excerpt.Of(open)}' leaves a quote open; a name holding a comma is written in double quotes: \"a,b\",c"
            : idColumn is { } ids && OptionKit.SplitList(ids)!.Any(string.IsNullOrWhiteSpace) ? $"--id-column '{Common.Excerpt.Of(ids)}' has an empty name; give one column, or several as A,B"
            : column is not null && column.Split(',').Any(string.IsNullOrWhiteSpace) ? $"--column '{Common.Excerpt.Of(column)}' has an empty name; give A,B,C"
            : null;
        var plotText = parse.GetValue(cli.PlotSeries);
        var plotted = plotText is null ? null : OptionKit.SplitList(plotText);
        problem ??= plotText is not null && plotted is null ? $"--plot-series '{Common.Excerpt.Of(plotText)}' leaves a quote open; an id holding a comma is written in double quotes: \"a,b\",c"
            : plotted is { Length: > PanelSettings.MaxPlotted } ? $"--plot-series names {plotted.Length} series; forecast.png draws at most {PanelSettings.MaxPlotted}"
            : plotted?.Any(p => p.Length == 0) == true ? "--plot-series has an empty id; give A,B,C"
            : plotted?.GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice ? $"--plot-series names '{Common.Excerpt.Of(twice.Key)}' {twice.Count()} times; name each series once"
            : null;
        if (problem is not null)
        {
            return (null, problem);
        }

        PanelLayout layout = idColumn is not null ? new PanelLayout.Long(OptionKit.SplitList(idColumn)!, column) : PanelLayout.WideOf(column!);
        var settings = new PanelSettings(data, layout, parse.GetValue(cli.TimeColumn), parse.GetValue(cli.Fill).Value, parse.GetValue(cli.Season),
            parse.GetValue(cli.Horizon), parse.GetValue(cli.Interval), plotted) { Labels = SeriesCli.Labels, Smoothing = cli.SmoothingOf(parse) };
        return (new PanelData(settings, window), null);
    }

    /// <summary>The panel read for the budget (the run's own reading is answered from this one): its values, and the window the run will choose.</summary>
    public static JobSize Size(PanelData source, double validationSplit)
    {
        var panel = PanelFile.Read(source.Settings);
        var plan = source.PlanFor(panel, validationSplit);
        var values = plan.Members.Sum(m => (long)m.Series.Length);
        return new JobSize(values, plan.Window, 0, $"--data's {values:N0} values in {plan.Members.Count:N0} series");
    }

    public static void WriteData(TextWriter output, PanelSummary summary, DataSummary d, string where)
    {
        var (panel, plan) = (summary.Panel, summary.Plan);
        var first = plan.Members[0].Series;
        var separator = panel.Separator == '\t' ? "tab" : $"'{panel.Separator}'";
        // Every series that has a value (the plan's median, which chose the window, is over the same).
        var lengths = panel.Series.Select(s => s.Length).Where(n => n > 0).Order().ToArray();
        var time = first.Time is { } axis ? $"; {axis.Name} {axis.Describe()}" : "";
        output.WriteLine($"Read {panel.Series.Count:N0} series, {panel.By}, from {panel.Source} in {SeriesCli.Duration(summary.ReadTime)} ({separator} separated, " +
                         $"{(panel.HasHeader ? "with a header" : "no header")}{time}); lengths {lengths[0]:N0} to {lengths[^1]:N0}, median {plan.MedianLength:N0}");
        var filled = plan.Members.Sum(m => m.Series.Filled);
        var inserted = plan.Members.Sum(m => m.Series.Inserted);
        if (filled + inserted > 0)
        {
            output.WriteLine($"Filled {filled} missing value(s) and {inserted} missing time(s) by linear interpolation");
        }

        if (plan.ForecastOnly.Count > 0)
        {
            output.WriteLine($"{plan.ForecastOnly.Count} series shorter than {PanelData.MinLength(plan.Window)} values (two windows of {plan.Window} and their targets) are forecast, " +
                             "not trained on or backtested: " + PanelView.Names(plan.ForecastOnly));
        }

        if (plan.Skipped.Count > 0)
        {
            output.WriteLine($"Left out {plan.Skipped.Count} series shorter than the window of {plan.Window}: {PanelView.Names(plan.Skipped)}");
        }

        var t = plan.Window;
        output.WriteLine($"Windows of {t} values -> the next value, from every series: X ({string.Join(", ", d.InputShape)}) = (samples, time steps, features); " +
                         $"{summary.TrainWindows:N0} training windows from each series' first {100 - (d.ValidationSplit * 100):0}%, {summary.ValidationWindows:N0} validating from the rest " +
                         $"(at most {PanelData.MaxWindows(t).Train * PanelData.PoolEpochs:N0} and {PanelData.MaxWindows(t).Validation:N0}, evenly from each series; an epoch trains on " +
                         $"{Math.Min(summary.TrainWindows, PanelData.MaxWindows(t).Train):N0} of them, drawn afresh)");
        output.WriteLine($"Each window relative to its last value and divided by its spread (mean absolute step + 0.001 x mean magnitude), then by {TrainView.N4(d.Scaler.Divisor)}; " +
                         $"the target relative to the value {(d.Scaler.Lag == 1 ? "before it" : $"{d.Scaler.Lag} steps before it (a season)")}, " +
                         $"less the mean change ({TrainView.N4(d.Scaler.Offset)} spreads)");
        output.WriteLine(char.ToUpperInvariant(where[0]) + where[1..]);
    }

    public static void WriteOutcome(CliConsole console, TrainingRun run, PanelForecastOutcome outcome)
    {
        if (run.Predictions.Count > 0)
        {
            console.Out.WriteLine();
        }

        PanelView.Write(console.Ansi, console.Out, outcome.Result);
        if (outcome.Written.Count > 0)
        {
            console.Out.WriteLine();
            console.Out.WriteLine($"Saved {string.Join(" and ", outcome.Written)} (every series' forecast and interval; the picture: {Reporting.PanelPlot.Chosen(outcome.Result, outcome.PlotSeries).Count} series)");
        }
    }

}
