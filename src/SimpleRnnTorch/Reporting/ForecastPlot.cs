using ScottPlot;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;

namespace SimpleRnnTorch.Reporting;

/// <summary>
/// A series after training, 1000x600 PNG in the lesson's style: the training part (blue) and the
/// validation part (orange) of the series, a dotted line where validation starts, the model's one-step
/// predictions over the validation part (green, dashed) and the recursive forecast beyond the end
/// (violet, with markers). The x axis is the time column: dates when it is dated, its numbers when they
/// are on a fixed step, else the position of each value. Long series are drawn as signals, fast at a
/// million points.
/// </summary>
internal static class ForecastPlot
{
    public const string FileName = "forecast.png";

    public static readonly Color TrainColor = PlotStyle.Blue;
    public static readonly Color ValidationColor = PlotStyle.Orange;
    public static readonly Color OneStepColor = PlotStyle.Green;
    public static readonly Color ForecastColor = PlotStyle.Violet;

    public static byte[] Render(SeriesOutcome outcome)
    {
        var series = outcome.Series;
        var values = series.Values;
        var start = outcome.Windows.TrainingValues;
        var horizon = outcome.Forecast.Length;
        var plot = new Plot();

        // A dated axis: each position at its date (OADate, as ScottPlot's date ticks read x), months of
        // unequal length included. Years are numbers: date ticks would step 1700, 1716, 1732.
        // Else the number on a regular numeric axis, or the position.
        var dated = series.Time is TimeAxis.Dated { Frequency: not TimeFrequency.Yearly } or TimeAxis.Clocked ? series.Time : null;
        var dates = dated is null ? null : OADates(dated, values.Length, horizon);
        var (x0, period) = series.Time switch
        {
            TimeAxis.Numbered { Step: > 0 } numbered => (numbered.Start, numbered.Step),
            TimeAxis.Dated { Frequency: TimeFrequency.Yearly } years => (years.First.Year, 1.0),
            _ => (0.0, 1.0),
        };
        double X(long index) => dates is null ? x0 + (index * period) : index < values.Length ? dates[index] : dated!.Instant(index)!.Value.ToOADate();

        // From the last training value, so the two parts join.
        Line(plot, values, dates, x0, period, TrainColor, 0, start - 1, $"Training part ({start} values)");
        Line(plot, values, dates, x0, period, ValidationColor, start - 1, values.Length - 1, $"Validation part ({values.Length - start} values)");

        var boundary = plot.Add.VerticalLine((X(start - 1) + X(start)) / 2);
        boundary.Color = Colors.Gray;
        boundary.LinePattern = LinePattern.Dotted;
        boundary.LegendText = $"Validation starts ({series.Where(start)})";

        var oneStepX = Enumerable.Range(start, outcome.OneStep.Length).Select(i => X(i)).ToArray();
        var oneStep = plot.Add.SignalXY(oneStepX, outcome.OneStep, OneStepColor);
        oneStep.LineWidth = 2;
        oneStep.LinePattern = LinePattern.Dashed;
        oneStep.LegendText = $"Model, one step ahead (MAE {outcome.Comparison.Model.Mae:0.##})";

        double[] forecastX = [.. Enumerable.Range(0, horizon + 1).Select(k => X(values.Length - 1 + k))];
        double[] forecastY = [values[^1], .. outcome.Forecast];

        // The interval as a band, from the last value (no width) to the end of the forecast.
        var interval = outcome.Interval;
        var band = plot.Add.FillY(forecastX, [values[^1], .. outcome.Lower], [values[^1], .. outcome.Upper]);
        band.FillColor = ForecastColor.WithAlpha(0.22);
        band.LineWidth = 0;
        band.LegendText = $"{interval.Level * 100:0}% interval (from the backtest's errors)";
        var forecast = plot.Add.ScatterLine(forecastX, forecastY, ForecastColor);
        forecast.LineWidth = 2;
        forecast.LinePattern = LinePattern.Dashed;
        forecast.MarkerShape = MarkerShape.FilledCircle;
        forecast.MarkerSize = 5;
        forecast.LegendText = $"Forecast, next {horizon} (recursive)";

        string xLabel;
        if (dates is not null)
        {
            // Ticks fall on whole years, months or days; ISO, as short as each allows (not 01/01/2001).
            var axis = plot.Axes.DateTimeTicksBottom();
            ((ScottPlot.TickGenerators.DateTimeAutomatic)axis.TickGenerator).LabelFormatter = TickLabel;
            xLabel = series.Time!.Name;
        }
        else
        {
            // Years read as 1947, not 1,947.
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = x => x.ToString("0.########", System.Globalization.CultureInfo.InvariantCulture),
            };
            xLabel = series.Time is TimeAxis.Numbered { Step: > 0 } or TimeAxis.Dated { Frequency: TimeFrequency.Yearly } ? series.Time!.Name : "Position in the series";
        }

        return PlotStyle.ToPng(plot, $"{series.Name}: the series, one-step predictions and the forecast with its interval", xLabel, series.Name, Alignment.UpperLeft);
    }

    /// <summary>Positions [first, last] of the series: a signal on a fixed step, or at the given x values; fast at a million points either way.</summary>
    private static void Line(Plot plot, float[] values, double[]? xs, double x0, double period, Color color, int first, int last, string legend)
    {
        if (xs is null)
        {
            var signal = plot.Add.Signal(values, period, color);
            signal.Data.XOffset = x0;
            (signal.MinRenderIndex, signal.MaxRenderIndex, signal.LineWidth, signal.LegendText) = (first, last, 1.5f, legend);
        }
        else
        {
            var signal = plot.Add.SignalXY(xs, values, color);
            (signal.MinRenderIndex, signal.MaxRenderIndex, signal.LineWidth, signal.LegendText) = (first, last, 1.5f, legend);
        }
    }

    /// <summary>
    /// The OADate of every value of the series, one array beside it; null when a position up to the end of the
    /// forecast has no OADate (before year 100, or past 9999), and the plot falls back to positions.
    /// </summary>
    private static double[]? OADates(TimeAxis axis, int length, int horizon)
    {
        if (axis.Instant(0) is not { Year: >= 100 } || axis.Instant(length - 1 + horizon) is null)
        {
            return null;
        }

        var xs = new double[length];
        for (var i = 0; i < length; i++)
        {
            xs[i] = axis.Instant(i)!.Value.ToOADate();
        }

        return xs;
    }

    private static string TickLabel(DateTime t) => t.ToString(
        t.TimeOfDay != TimeSpan.Zero ? "yyyy-MM-dd HH:mm" : t is { Month: 1, Day: 1 } ? "yyyy" : t.Day == 1 ? "yyyy-MM" : "yyyy-MM-dd",
        System.Globalization.CultureInfo.InvariantCulture);

    public static void Write(string path, SeriesOutcome outcome) => AtomicFile.WriteAllBytes(path, Render(outcome));
}
