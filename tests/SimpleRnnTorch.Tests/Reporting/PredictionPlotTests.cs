using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Reporting;
using SkiaSharp;

namespace SimpleRnnTorch.Tests.Reporting;

public sealed class PredictionPlotTests
{
    private static EvaluationResult Sample(string name, EvaluationSetKind kind, double low, double high, Func<double, double> predict)
    {
        var targets = Enumerable.Range(0, 100).Select(i => low + ((high - low) * i / 99)).ToArray();
        var predictions = targets.Select(predict).ToArray();
        var inputs = targets.Select(t => new[] { t - 30, t - 20, t - 10 }).ToArray();
        var metrics = EvaluationMetrics.Compute(inputs, targets, predictions);
        return new EvaluationResult(new EvaluationSet(name, kind, new SequenceSpec()), metrics, targets, predictions);
    }

    private static EvaluationResult Test() => Sample("test", EvaluationSetKind.Test, 30, 130, t => t + 0.2);

    private static EvaluationResult Far() => Sample("starts 500-1000", EvaluationSetKind.LargerStarts, 530, 1030, t => 150 + (t / 10));

    [Fact]
    public void Png_is_1000_by_600_with_both_sets_and_a_title()
    {
        using var bitmap = SKBitmap.Decode(PredictionPlot.Render(Test(), Far()));

        Assert.Equal(1000, bitmap.Width);
        Assert.Equal(600, bitmap.Height);
        Assert.True(PixelCounts.Near(bitmap, PredictionPlot.TestColor) > 300, "test markers (#1c7ed6) missing");
        Assert.True(PixelCounts.Near(bitmap, PredictionPlot.OutOfRangeColor) > 300, "out-of-range markers (#fd7e14) missing");

        var titleInk = PixelCounts.Ink(bitmap, 250, 0, 750, 35);

        Assert.True(titleInk > 100, $"title text missing ({titleInk} dark pixels)");
    }

    [Fact]
    public void Non_finite_predictions_are_left_out_instead_of_breaking_the_plot()
    {
        var diverged = Sample("starts 500-1000", EvaluationSetKind.LargerStarts, 530, 1030, t => t > 800 ? double.NaN : t);
        using var bitmap = SKBitmap.Decode(PredictionPlot.Render(Test(), diverged));
        Assert.True(PixelCounts.Near(bitmap, PredictionPlot.OutOfRangeColor) > 150);
    }

    [Fact]
    public void Write_replaces_the_file_atomically()
    {
        using var temp = new TempFolder();
        var path = temp.File("prediction.png");
        File.WriteAllText(path, "old");
        PredictionPlot.Write(path, [Test(), Far()]);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(path).Take(4));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void The_sets_shown_are_picked_by_kind_not_by_position()
    {
        var step = Sample("step 5", EvaluationSetKind.OtherStep, 20, 60, t => t + 3);
        var near = Sample("starts 100-200", EvaluationSetKind.LargerStarts, 130, 230, t => t - 5);
        var (test, outOfRange) = PredictionPlot.Pick([step, near, Far(), Test()]);

        Assert.Equal("test", test.Set.Name);
        Assert.Equal("starts 100-200", outOfRange.Set.Name); // the first set of larger starts
    }
}
