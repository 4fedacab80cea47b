using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;
using SkiaSharp;

namespace SimpleRnnTorch.Tests.Reporting;

public sealed class LossPlotTests
{
    private static TrainingHistory SampleHistory() => new(
        Enumerable.Range(1, 30).Select(e => new EpochResult(e, 0.2 / e, 0.15 / e, 0.01, TimeSpan.FromMilliseconds(10))));

    [Fact]
    public void Png_is_1000_by_600_and_shows_both_curves_and_text()
    {
        using var bitmap = SKBitmap.Decode(LossPlot.Render(SampleHistory()));

        Assert.Equal(1000, bitmap.Width);
        Assert.Equal(600, bitmap.Height);
        Assert.True(PixelCounts.Near(bitmap, LossPlot.TrainColor) > 300, "training curve (#1c7ed6) missing");
        Assert.True(PixelCounts.Near(bitmap, LossPlot.ValidationColor) > 150, "validation curve (#fd7e14) missing");

        // The title sits above the data area: dark pixels there can only be text.
        var titleInk = PixelCounts.Ink(bitmap, 250, 0, 750, 35);

        Assert.True(titleInk > 100, $"title text missing ({titleInk} dark pixels)");

        // So does the y label, left of the tick labels.
        var labelInk = PixelCounts.Ink(bitmap, 0, 150, 25, 450);

        Assert.True(labelInk > 50, $"y-axis label missing ({labelInk} dark pixels)");
    }

    [Fact]
    public void Without_validation_only_the_training_curve_is_drawn()
    {
        var history = new TrainingHistory(Enumerable.Range(1, 5).Select(e => new EpochResult(e, 1.0 / e, null, 0.01, TimeSpan.Zero)));
        using var bitmap = SKBitmap.Decode(LossPlot.Render(history));
        Assert.True(PixelCounts.Near(bitmap, LossPlot.TrainColor) > 300);
        Assert.Equal(0, PixelCounts.Near(bitmap, LossPlot.ValidationColor));
    }

    [Fact]
    public void Write_replaces_the_file_atomically()
    {
        using var temp = new TempFolder();
        var path = temp.File("loss.png");
        File.WriteAllText(path, "old");
        LossPlot.Write(path, SampleHistory());

        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes.Take(4));
        Assert.Single(Directory.GetFiles(temp.Path)); // no temporary file left behind
    }
}
