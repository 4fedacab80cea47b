using System.Globalization;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Inference;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>
/// A series run's results: the model beside the naive baselines one step ahead on the validation targets
/// (MAE, RMSE, MASE, in original units); the rolling-origin backtest beside every baseline, with a sentence
/// per baseline saying whether the model beats it on the mean MASE — also, and plainly, when it does not;
/// and the forecast after the end of the series with its time labels and its interval.
/// </summary>
internal static class SeriesView
{
    public static void Write(IAnsiConsole console, TextWriter output, SeriesOutcome outcome)
    {
        var (series, windows, comparison) = (outcome.Series, outcome.Windows, outcome.Comparison);
        var title = $"One step ahead: {windows.ValidationWindows} validation targets, {Span(series, windows.TrainingValues, series.Length - 1)}";
        var table = new Table
        {
            Border = TableBorder.Square,
            Title = new TableTitle(Markup.Escape(title)),
        };
        table.AddColumn("forecast");
        foreach (var column in new[] { "MAE", "RMSE", "MASE" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        table.AddRow(Row(comparison.Model, comparison.Model.Name));
        table.AddRow(Row(comparison.Naive, "naive, y[t-1]"));
        if (comparison.Seasonal is { } seasonal)
        {
            table.AddRow(Row(seasonal, $"seasonal naive, y[t-{comparison.Season}]"));
        }

        // A title wider than the table would wrap: the table widens to hold it on one line.
        if (((IRenderable)table).Measure(RenderOptions.Create(console), int.MaxValue).Max < title.Length)
        {
            (table.Width, table.Expand) = (title.Length, true);
        }

        console.Write(table);
        output.WriteLine($"In original units; MASE is the MAE over the naive forecast's MAE on the training part ({Number(comparison.InSampleNaiveMae)}): below 1 is better than that.");
        if (comparison.Seasonal is not null && windows.SeasonFromFrequency && series.Time is { } frequency)
        {
            output.WriteLine($"The season (m = {comparison.Season}, the default for {DataOf(frequency)}) sets the seasonal baselines and the shortest window; --season sets another.");
        }
        else if (comparison.Seasonal is null)
        {
            var why = series.Time is { Unit: not null, DefaultSeason: null } dated ? $"{DataOf(dated)} has no default season; " : "";
            output.WriteLine($"No seasonal naive baseline: {why}give --season m (e.g. 12 for monthly values) to compare with y[t-m].");
        }

        output.WriteLine();
        WriteBacktest(console, output, outcome);
        output.WriteLine();
        WriteForecast(output, outcome);
    }

    /// <summary>"monthly data", "hourly data", "data every 15 minutes".</summary>
    private static string DataOf(TimeAxis time) => time.Describe() is var words && words.StartsWith("every ", StringComparison.Ordinal) ? $"data {words}" : $"{words} data";

    /// <summary>The rolling-origin table (MASE per origin and mean, each forecaster a row) and the verdict on its means.</summary>
    private static void WriteBacktest(IAnsiConsole console, TextWriter output, SeriesOutcome outcome)
    {
        var (series, backtest) = (outcome.Series, outcome.Backtest);
        var origins = backtest.Result.Origins;
        var title = $"Backtest: {backtest.Horizon} value(s) forecast from each of {origins.Count} origin(s) in the validation part, MASE";
        var table = new Table { Border = TableBorder.Square, Title = new TableTitle(Markup.Escape(title)) };
        table.AddColumn("forecaster");
        foreach (var origin in origins)
        {
            table.AddColumn(new TableColumn(Markup.Escape($"from {series.Label(origin)}")).RightAligned());
        }

        table.AddColumn(new TableColumn("mean").RightAligned());
        foreach (var f in backtest.Result.Forecasters)
        {
            table.AddRow([Markup.Escape(f.Name), .. f.Origins.Select(o => Mase(o.Mase)), Mase(f.MeanMase)]);
        }

        if (((IRenderable)table).Measure(RenderOptions.Create(console), int.MaxValue).Max < title.Length)
        {
            (table.Width, table.Expand) = (title.Length, true);
        }

        console.Write(table);
        output.WriteLine("The model was trained once, on the training part; each baseline is fitted afresh at each origin on every value before it. " +
                         (outcome.Smoothing switch
                         {
                             null => "",
                             { Weight: 1 } => "The model's forecast is exponential smoothing's alone, fitted once on the training part. ",
                             _ => "The model's forecast is the network's combined with exponential smoothing, fitted once on the training part as the network is trained once. ",
                         }) +
                         "MASE: the MAE over the horizon divided by the one-step naive MAE before the origin.");
        var model = backtest.Model;
        foreach (var baseline in backtest.Baselines)
        {
            if (double.IsNaN(model.MeanMase) || double.IsNaN(baseline.MeanMase))
            {
                // A series that never changed before the origins has no naive error to scale by: no verdict either way.
                output.WriteLine($"The model and {baseline.Name} are not compared: mean MASE {Mase(model.MeanMase)} against {Mase(baseline.MeanMase)} (the series did not change before the origins).");
                continue;
            }

            var verdict = model.MeanMase < baseline.MeanMase ? "beats" : "does NOT beat";
            output.WriteLine($"The model {verdict} {baseline.Name}: mean MASE {Mase(model.MeanMase)} against {Mase(baseline.MeanMase)}.");
        }

        var best = backtest.BestClassical;
        if (best is not null && Mase(best.MeanMase) == Mase(0))
        {
            // A ratio to a MASE of next to nothing says nothing (an AR that fits a clean sine exactly: 1.3e13 times).
            output.WriteLine($"The best classical method here, {best.Name}, forecasts the backtest all but exactly (mean MASE {Mase(best.MeanMase)}).");
        }
        else if (best is not null && best.MeanMase > 0)
        {
            output.WriteLine($"Against the best classical method here, {best.Name}: {(model.MeanMase / best.MeanMase).ToString("0.00", CultureInfo.InvariantCulture)} times its mean MASE.");
        }
    }

    /// <summary>The forecast after the end with its interval, and where the interval comes from.</summary>
    private static void WriteForecast(TextWriter output, SeriesOutcome outcome)
    {
        var (series, backtest) = (outcome.Series, outcome.Backtest);
        var level = outcome.Interval.Level.ToString("0.##%", CultureInfo.InvariantCulture);
        var why = outcome.SmoothingReason is { } reason
            ? $" (the share: {reason}{(outcome.Smoothing is { } c && outcome.SmoothingForm is { } f && c.WeightFor(f) != c.Weight ? Unseasoned(c, "the") : "")})"
            : "";
        var how = outcome.Smoothing is { } combined && outcome.SmoothingForm is { } form && combined with { Weight = combined.WeightFor(form), UnseasonedWeight = null } is var smoothing
            ? smoothing.Weight == 1
                ? $"exponential smoothing's alone{why}, {form} fitted on the last {Math.Min(series.Length, smoothing.History)} values"
                : $"recursive: each prediction is fed back as an input; {Combination(smoothing)}{why}, {form} fitted on the last {Math.Min(series.Length, smoothing.History)} values"
            : "recursive: each prediction is fed back as an input" +
              (outcome.SmoothingTooShort ? $"; no exponential smoothing beside it: the training part holds fewer than {SmoothingCombination.MinimumValues} values"
                  : outcome.SmoothingReason is { } chosen ? $"; the network's alone, exponential smoothing's share {chosen}" : "");
        output.WriteLine($"Forecast of the next {outcome.Forecast.Length} value(s) after {series.Where(series.Length - 1)} ({how}), " +
                         $"with an interval of {level}:");
        var width = outcome.ForecastLabels.Max(l => l.Length);
        var number = ForecastFormat(outcome.Lower, outcome.Upper);
        for (var k = 0; k < outcome.Forecast.Length; k++)
        {
            output.WriteLine($"  {outcome.ForecastLabels[k].PadLeft(width)}  {number(outcome.Forecast[k])}  [{number(outcome.Lower[k])}, {number(outcome.Upper[k])}]");
        }

        var held = double.IsNaN(backtest.Coverage)
            ? backtest.IntervalOrigins <= 1 ? "its hold on later values is not measurable with one origin"
                : "its hold on later values is not measurable: a step of the horizon is reached by fewer than two origins"
            : $"built from the older two thirds, it held {backtest.Coverage.ToString("0.#%", CultureInfo.InvariantCulture)} of the most recent third's actual values";
        var measured = backtest.Interval.Counts.Count(c => c > 0);
        var wellMeasured = SeriesForecast.LastWellMeasured(backtest.Interval);
        var training = backtest.TrainingOrigins > 0 ? $" ({backtest.TrainingOrigins} of them in the training part)" : "";
        output.WriteLine($"The interval: the model's errors at each step from {backtest.IntervalOrigins} origin(s){training}, one step apart (split conformal, widened × {SeriesForecast.IntervalWidening.ToString(CultureInfo.InvariantCulture)}); " +
                         held +
                         (wellMeasured is null && measured > 0
                             ? $"; at every step the errors were too few for the ranks of a {level} interval, so each bound is pushed out past the widest error" : "") +
                         (SeriesForecast.GrownFrom(backtest.Interval) is not { } grown ? ""
                             : wellMeasured is null ? "; a step fewer origins reach is at least step 1's offsets grown as √h"
                             : $"; past step {grown}, whose errors were the last enough for the level, at least step {grown}'s offsets grown as √h") +
                         (measured < outcome.Forecast.Length ? $"; beyond step {measured}, as far as the series reaches, it widens as √h" : "") +
                         (outcome.Floor is { } floor ? $"; no value or bound goes below {number(floor)}, as no training value did." : "."));
    }

    /// <summary>
    /// "; X where {whose} form chosen has no season" for a combination whose share depends on the form, else ""; with a
    /// panel's counts, how many of its smoothed series took it.
    /// </summary>
    internal static string Unseasoned(SmoothingCombination smoothing, string whose, (int Unseasoned, int Smoothed)? shares = null) => smoothing.UnseasonedWeight is { } u && u != smoothing.Weight
        ? $"; {u.ToString("0.##", CultureInfo.InvariantCulture)} where {whose} form chosen by AICc has no season, as for a series without one" +
          (shares is var (taken, of) ? $" ({taken:N0} of the {of:N0} series)" : "")
        : "";

    /// <summary>How the forecast weighs the network's and smoothing's: "the mean of …", or "0.25 × … and 0.75 × …".</summary>
    internal static string Combination(SmoothingCombination smoothing) => smoothing.Weight == 0.5
        ? "the mean of the network's and exponential smoothing's"
        : Shares(smoothing.Weight);

    /// <summary>
    /// "0.15 × the network's and 0.85 × exponential smoothing's": both shares to the same decimals, two, or as many more as
    /// keep a share that is neither 0 nor 1 from printing as one (`--smoothing 0.005`: 0.995 and 0.005).
    /// </summary>
    private static string Shares(double w)
    {
        var decimals = 2;
        string Text(double share) => share.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
        bool Lost(double share) => share is > 0 and < 1 && Text(share) is "0" or "1";
        while (decimals < 12 && (Lost(w) || Lost(1 - w)))
        {
            decimals++;
        }

        return $"{Text(1 - w)} × the network's and {Text(w)} × exponential smoothing's";
    }

    private static string Mase(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>
    /// How the forecast's numbers print: two decimals, or as many more as show the narrowest interval's width to two
    /// significant digits (a series near 0.004 printed "0.00 [0.00, 0.00]"); past ten decimals, or at 1e15 and above (where
    /// decimals are noise), significant digits, enough to tell the bounds apart. A value that rounds to 0 prints without a sign.
    /// </summary>
    internal static Func<double, string> ForecastFormat(IReadOnlyList<double> lower, IReadOnlyList<double> upper)
    {
        var narrowest = lower.Zip(upper, (l, u) => u - l).Where(w => w > 0).DefaultIfEmpty(1).Min();
        var largest = lower.Concat(upper).Select(Math.Abs).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var decimals = Math.Max(2, (int)Math.Ceiling(-Math.Log10(narrowest)) + 1);
        var digits = Math.Clamp((int)Math.Ceiling(Math.Log10(Math.Max(1, largest / narrowest))) + 2, 6, 17);
        var format = decimals > 10 || largest >= 1e15 ? "G" + digits.ToString(CultureInfo.InvariantCulture) : "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return value =>
        {
            var text = value.ToString(format, CultureInfo.InvariantCulture);
            return text.StartsWith('-') && double.Parse(text, CultureInfo.InvariantCulture) == 0 ? text[1..] : text;
        };
    }

    /// <summary>
    /// "YEAR 1947-2008", "date 2009-01 to 2010-12" (labels with a hyphen of their own), or "values 248 to
    /// 309" when the time column names only its ends.
    /// </summary>
    public static string Span(Series series, long first, long last)
    {
        if (series.Time is not { IsRegular: true } time)
        {
            return $"values {first + 1} to {last + 1}";
        }

        var (a, b) = (series.Label(first), series.Label(last));
        return a.Contains('-') || b.Contains('-') ? $"{time.Name} {a} to {b}" : $"{time.Name} {a}-{b}";
    }

    /// <summary>"The model beats the naive forecast: MAE 15.2 against 20.1 (24% lower), RMSE 20.1 against 25.5 (21% lower)."</summary>
    public static string Sentence(SeriesComparison comparison, ForecastScore baseline, string name)
    {
        var model = comparison.Model;
        var figures = $"MAE {Number(model.Mae)} against {Number(baseline.Mae)} ({Change(model.Mae, baseline.Mae)}), " +
                      $"RMSE {Number(model.Rmse)} against {Number(baseline.Rmse)} ({Change(model.Rmse, baseline.Rmse)})";
        return comparison.Against(baseline) switch
        {
            Verdict.Beats => $"The model beats {name}: {figures}.",
            Verdict.DoesNotBeat => $"The model does NOT beat {name}: {figures}.",
            _ => $"The model beats {name} on one measure only: {figures}.",
        };
    }

    private static string[] Row(ForecastScore score, string name) =>
        [Markup.Escape(name), Number(score.Mae), Number(score.Rmse), double.IsNaN(score.Mase) ? "n/a" : score.Mase.ToString("0.000", CultureInfo.InvariantCulture)];

    private static string Change(double model, double baseline)
    {
        if (baseline == 0)
        {
            return model == 0 ? "the same" : "higher";
        }

        var change = (model - baseline) / baseline;
        return Math.Abs(change) < 0.0005 ? "the same" : $"{Math.Abs(change).ToString("0.#%", CultureInfo.InvariantCulture)} {(change < 0 ? "lower" : "higher")}";
    }

    private static string Number(double value) =>
        Math.Abs(value) is >= 0.01 and < 1e5 || value == 0
            ? value.ToString("0.###", CultureInfo.InvariantCulture)
            : value.ToString("0.##e+0", CultureInfo.InvariantCulture);
}
