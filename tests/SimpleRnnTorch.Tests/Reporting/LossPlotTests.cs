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
        Assert.True(CountNear(bitmap, LossPlot.TrainColor) > 300, "training curve (#1c7ed6) missing");
        Assert.True(CountNear(bitmap, LossPlot.ValidationColor) > 150, "validation curve (#fd7e14) missing");

        // The title sits above the data area: dark pixels there can only be text.
        var titleInk = 0;
        for (var y = 0; y < 35; y++)
        {
            for (var x = 250; x < 750; x++)
            {
                var p = bitmap.GetPixel(x, y);
                titleInk += p.Red < 100 && p.Green < 100 && p.Blue < 100 ? 1 : 0;
            }
        }

        Assert.True(titleInk > 100, $"title text missing ({titleInk} dark pixels)");

        // So does the y label, left of the tick labels.
        var labelInk = 0;
        for (var y = 150; y < 450; y++)
        {
            for (var x = 0; x < 25; x++)
            {
                var p = bitmap.GetPixel(x, y);
                labelInk += p.Red < 100 && p.Green < 100 && p.Blue < 100 ? 1 : 0;
            }
        }

        Assert.True(labelInk > 50, $"y-axis label missing ({labelInk} dark pixels)");
    }

    [Fact]
    public void Without_validation_only_the_training_curve_is_drawn()
    {
        var history = new TrainingHistory(Enumerable.Range(1, 5).Select(e => new EpochResult(e, 1.0 / e, null, 0.01, TimeSpan.Zero)));
        using var bitmap = SKBitmap.Decode(LossPlot.Render(history));
        Assert.True(CountNear(bitmap, LossPlot.TrainColor) > 300);
        Assert.Equal(0, CountNear(bitmap, LossPlot.ValidationColor));
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

    private static int CountNear(SKBitmap bitmap, ScottPlot.Color color)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - color.R) < 12 && Math.Abs(p.Green - color.G) < 12 && Math.Abs(p.Blue - color.B) < 12)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
