using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Reporting;
using SkiaSharp;

namespace SimpleRnnTorch.Tests.Reporting;

public sealed class ForecastPlotTests
{
    /// <summary>A series of 120 yearly values: the first 96 train, the last 24 validate; 12 forecast.</summary>
    private static SeriesOutcome Outcome(TimeAxis? time)
    {
        var values = Enumerable.Range(0, 120).Select(i => (float)(50 + (40 * Math.Sin(i / 5.0)))).ToArray();
        var series = new Series("s.csv", "level", values, time, 0, ',', true);
        var windows = new SeriesWindows(120, 3, 0.2);
        var start = windows.TrainingValues;
        var oneStep = values[start..].Select(v => v + 3.0).ToArray();
        var forecast = Enumerable.Range(1, 12).Select(k => 50 + (40 * Math.Sin((119 + k) / 5.0))).ToArray();
        return SimpleRnnTorch.Tests.Evaluation.SeriesOutcomes.Make(series, windows, oneStep, forecast, [.. Enumerable.Range(1, 12).Select(k => $"{1999 + k}")]);
    }

    [Fact]
    public void The_picture_shows_both_parts_the_one_step_predictions_and_the_forecast()
    {
        using var bitmap = SKBitmap.Decode(ForecastPlot.Render(Outcome(new TimeAxis.Numbered("year", 1880, 1))));

        Assert.Equal((1000, 600), (bitmap.Width, bitmap.Height));
        Assert.True(PixelCounts.Near(bitmap, ForecastPlot.TrainColor) > 500, "training part (blue) missing");
        Assert.True(PixelCounts.Near(bitmap, ForecastPlot.ValidationColor) > 150, "validation part (orange) missing");
        Assert.True(PixelCounts.Near(bitmap, ForecastPlot.OneStepColor) > 100, "one-step predictions (green) missing");
        Assert.True(PixelCounts.Near(bitmap, ForecastPlot.ForecastColor) > 100, "forecast (violet) missing");
        Assert.True(PixelCounts.Ink(bitmap, 250, 0, 750, 35) > 100, "title missing");

        // Time runs left to right: the training part lies left of the validation part, the forecast right of both.
        var (train, validation, forecast) = (MeanX(bitmap, ForecastPlot.TrainColor), MeanX(bitmap, ForecastPlot.ValidationColor), MeanX(bitmap, ForecastPlot.ForecastColor));
        Assert.True(train < validation && validation < forecast, $"mean x: train {train}, validation {validation}, forecast {forecast}");
    }

    /// <summary>Monthly dates: x is each month's date (OADate), with date ticks; the parts still run left to right.</summary>
    [Fact]
    public void A_dated_axis_is_drawn_on_dates()
    {
        using var bitmap = SKBitmap.Decode(ForecastPlot.Render(Outcome(new TimeAxis.Dated("month", TimeFrequency.Monthly, new DateOnly(1990, 1, 31), DateFormat.IsoDate, MonthEnds: true))));

        Assert.True(PixelCounts.Near(bitmap, ForecastPlot.TrainColor) > 500, "training part (blue) missing");
        Assert.True(PixelCounts.Near(bitmap, ForecastPlot.ForecastColor) > 100, "forecast (violet) missing");
        var (train, validation, forecast) = (MeanX(bitmap, ForecastPlot.TrainColor), MeanX(bitmap, ForecastPlot.ValidationColor), MeanX(bitmap, ForecastPlot.ForecastColor));
        Assert.True(train < validation && validation < forecast, $"mean x: train {train}, validation {validation}, forecast {forecast}");
    }

    [Fact]
    public void Without_a_regular_time_column_the_x_axis_is_the_position()
    {
        using var bitmap = SKBitmap.Decode(ForecastPlot.Render(Outcome(null)));
        Assert.True(PixelCounts.Near(bitmap, ForecastPlot.ForecastColor) > 100);
    }

    /// <summary>The mean column of the pixels of a colour, right of the legend's box.</summary>
    private static double MeanX(SKBitmap bitmap, ScottPlot.Color color)
    {
        long sum = 0, count = 0;
        for (var y = 200; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - color.R) < 12 && Math.Abs(p.Green - color.G) < 12 && Math.Abs(p.Blue - color.B) < 12)
                {
                    sum += x;
                    count++;
                }
            }
        }

        return count == 0 ? double.NaN : (double)sum / count;
    }
}
