using ScottPlot;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Persistence;

namespace SimpleRnnTorch.Reporting;

/// <summary>
/// A series after training, 1000x600 PNG in the lesson's style: the training part (blue) and the
/// validation part (orange) of the series, a dotted line where validation starts, the model's one-step
/// predictions over the validation part (green, dashed) and the recursive forecast beyond the end
/// (violet, with markers). The x axis is the time column when its labels are numbers on a fixed step,
/// else the position of each value. Long series are drawn as signals, fast at a million points.
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
        var (x0, period) = series.Time is { Start: { } first, Step: > 0 and var step } ? (first, step) : (0.0, 1.0);
        double X(double index) => x0 + (index * period);

        var plot = new Plot();
        var train = plot.Add.Signal(values, period, TrainColor);
        train.Data.XOffset = x0;
        train.MaxRenderIndex = start - 1;
        train.LineWidth = 1.5f;
        train.LegendText = $"Training part ({start} values)";

        // From the last training value, so the two parts join.
        var validation = plot.Add.Signal(values, period, ValidationColor);
        validation.Data.XOffset = x0;
        validation.MinRenderIndex = start - 1;
        validation.LineWidth = 1.5f;
        validation.LegendText = $"Validation part ({values.Length - start} values)";

        var boundary = plot.Add.VerticalLine(X(start - 0.5));
        boundary.Color = Colors.Gray;
        boundary.LinePattern = LinePattern.Dotted;
        boundary.LegendText = $"Validation starts ({series.Where(start)})";

        var oneStep = plot.Add.Signal(outcome.OneStep, period, OneStepColor);
        oneStep.Data.XOffset = X(start);
        oneStep.LineWidth = 2;
        oneStep.LinePattern = LinePattern.Dashed;
        oneStep.LegendText = $"Model, one step ahead (MAE {outcome.Comparison.Model.Mae:0.##})";

        double[] forecastX = [.. Enumerable.Range(0, outcome.Forecast.Length + 1).Select(k => X(values.Length - 1 + k))];
        double[] forecastY = [values[^1], .. outcome.Forecast];
        var forecast = plot.Add.ScatterLine(forecastX, forecastY, ForecastColor);
        forecast.LineWidth = 2;
        forecast.LinePattern = LinePattern.Dashed;
        forecast.MarkerShape = MarkerShape.FilledCircle;
        forecast.MarkerSize = 5;
        forecast.LegendText = $"Forecast, next {outcome.Forecast.Length} (recursive)";

        // Years read as 1947, not 1,947.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = x => x.ToString("0.########", System.Globalization.CultureInfo.InvariantCulture),
        };

        var xLabel = series.Time is { IsRegular: true, Step: > 0 } ? series.Time.Name : "Position in the series";
        return PlotStyle.ToPng(plot, $"{series.Name}: the series, one-step predictions and the forecast", xLabel, series.Name, Alignment.UpperLeft);
    }

    public static void Write(string path, SeriesOutcome outcome) => AtomicFile.WriteAllBytes(path, Render(outcome));
}
