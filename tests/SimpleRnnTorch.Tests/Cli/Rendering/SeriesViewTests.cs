using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using Spectre.Console;

namespace SimpleRnnTorch.Tests.Cli.Rendering;

/// <summary>What a series run prints after training: the table's title and the forecast's labels in the time column's format.</summary>
public sealed class SeriesViewTests
{
    private static SeriesOutcome Outcome(TimeAxis? time, int? season = null, bool fromFrequency = false)
    {
        var values = Enumerable.Range(0, 40).Select(i => (float)(10 + (i % 12))).ToArray();
        var series = new Series("s.csv", "sales", values, time, 0, ',', true);
        var windows = new SeriesWindows(40, 3, 0.2) { Season = season, SeasonFromFrequency = fromFrequency };
        var start = windows.TrainingValues;
        var oneStep = values[start..].Select(v => v + 1.0).ToArray();
        return SimpleRnnTorch.Tests.Evaluation.SeriesOutcomes.Make(series, windows, oneStep, [1, 2, 3], [.. Enumerable.Range(1, 3).Select(series.Beyond)], season);
    }

    private static string Render(SeriesOutcome outcome)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        SeriesView.Write(console, output, outcome);
        return output.ToString();
    }

    [Fact]
    public void Monthly_dates_title_the_table_and_label_the_forecast()
    {
        var monthly = new TimeAxis.Dated("date", TimeFrequency.Monthly, new DateOnly(2008, 1, 1), DateFormat.YearMonth);
        var text = Render(Outcome(monthly, 12, fromFrequency: true));

        Assert.Contains("One step ahead: 8 validation targets, date 2010-09 to 2011-04\n", text); // one line, however narrow the table
        Assert.Contains("seasonal naive, y[t-12]", text);
        Assert.Contains("Forecast of the next 3 value(s) after date 2011-04 (recursive", text);
        Assert.Matches(@"\n  2011-05  1\.00  \[-?\d+\.\d\d, -?\d+\.\d\d\]\n  2011-06  2\.00  \[", text);
        Assert.Contains("from 2011-01", text); // the backtest's origins are labelled in the time column's format
        Assert.Contains("(m = 12, the default for monthly data)", text);
    }

    [Fact]
    public void Years_keep_their_short_span_and_labels_without_a_step_name_positions()
    {
        var years = Render(Outcome(new TimeAxis.Dated("YEAR", TimeFrequency.Yearly, new DateOnly(1971, 1, 1), DateFormat.Year)));
        Assert.Contains("One step ahead: 8 validation targets, YEAR 2003-2010\n", years);
        Assert.Contains("No seasonal naive baseline: yearly data has no default season; give --season m", years);
        Assert.Contains("\n  2011  1.00  [", years);

        var labels = Render(Outcome(new TimeAxis.Labelled("date", "Jan 2008", "Apr 2011")));
        Assert.Contains("One step ahead: 8 validation targets, values 33 to 40\n", labels); // not "value 33-Apr 2011"
        Assert.Contains("after date Apr 2011", labels);
        Assert.Contains("\n  Apr 2011 +1  1.00  [", labels);
    }
    [Fact]
    public void A_forecast_of_small_numbers_prints_the_digits_that_tell_its_point_from_its_bounds()
    {
        Assert.Equal("12.35", SeriesView.ForecastFormat([10], [15])(12.3456));                  // widths of units: two decimals
        Assert.Equal("0.004582", SeriesView.ForecastFormat([0.004555, 0.0045], [0.004606, 0.0047])(0.00458156)); // width 5.1e-5
        Assert.Equal("1.23457E-28", SeriesView.ForecastFormat([1e-28], [1.1e-28])(1.23456789e-28)); // past ten decimals
        Assert.Equal("6.072E+29", SeriesView.ForecastFormat([5.843e29], [6.263e29])(6.072002777e29)); // huge: no noise digits
        Assert.Equal("0.00", SeriesView.ForecastFormat([-0.6], [1.2])(-0.001));                        // no "-0.00"
    }

    [Fact]
    public void A_classical_method_that_forecasts_the_backtest_exactly_gets_no_ratio()
    {
        // sales repeat every 12 values: a seasonal naive forecast (named as an AR) makes no error at all.
        var values = Enumerable.Range(0, 40).Select(i => (float)(10 + (i % 12))).ToArray();
        var series = new Series("s.csv", "sales", values, null, 0, ',', true);
        var windows = new SeriesWindows(40, 3, 0.2);
        var outcome = SimpleRnnTorch.Tests.Evaluation.SeriesOutcomes.Make(series, windows, [.. values[windows.TrainingValues..].Select(v => v + 1.0)], [1, 2, 3],
            [.. Enumerable.Range(1, 3).Select(series.Beyond)], classical: new SimpleRnnTorch.Forecasting.SeasonalNaiveForecaster(12));

        var text = Render(outcome);
        Assert.Contains("The best classical method here, AR (exact), forecasts the backtest all but exactly (mean MASE 0.000).", text);
        Assert.DoesNotContain("times its mean MASE", text);
    }
}
