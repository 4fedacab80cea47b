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

    /// <summary>
    /// The default run's history.csv (seed 42, 30 epochs) to three digits: 0.08 at epoch 1, 4e-6 at the
    /// end, the validation loss mostly a little below the training loss. Best epoch 29.
    /// </summary>
    private static TrainingHistory DefaultRun()
    {
        double[] loss = [0.0836, 0.00116, 0.000255, 0.000168, 0.000204, 0.000143, 0.000133, 0.000144, 6e-5, 0.000117, 5.77e-5, 4.17e-5, 1.92e-5, 2.63e-5, 1.4e-5, 1.07e-5, 1.21e-5, 2.04e-5, 1.1e-5, 9.23e-6, 6.08e-6, 8.25e-6, 6.92e-6, 6.46e-6, 4.67e-6, 5.06e-6, 4.99e-6, 4.8e-6, 4.41e-6, 4.4e-6];
        double[] val = [0.00537, 0.000447, 0.000139, 0.000497, 6.4e-5, 0.000171, 8.26e-5, 7.03e-5, 4.51e-5, 2.44e-5, 5.34e-5, 1.42e-5, 1.97e-5, 1.47e-5, 2.21e-5, 1.54e-5, 1.86e-5, 1.57e-5, 5.32e-6, 5.02e-6, 5.58e-6, 8.71e-6, 6.18e-6, 4.56e-6, 4.34e-6, 4.23e-6, 5.03e-6, 4.58e-6, 4.08e-6, 4.08e-6];
        var history = new TrainingHistory(loss.Select((l, i) => new EpochResult(i + 1, l, val[i], 0.01, TimeSpan.FromMilliseconds(10))));
        history.BestEpoch = 29;
        return history;
    }

    /// <summary>Ten epochs falling from 0.1 by <paramref name="decades"/> decades; validation equal to training.</summary>
    private static TrainingHistory Spanning(double decades, bool validation = true) => new(
        Enumerable.Range(0, 10).Select(i =>
        {
            var loss = Math.Pow(10, -1 - decades * i / 9.0);
            return new EpochResult(i + 1, loss, validation ? loss : null, 0.01, TimeSpan.Zero);
        }));

    [Fact]
    public void Auto_uses_a_log_axis_only_beyond_two_decades()
    {
        var wide = Spanning(4);
        var narrow = Spanning(1);

        Assert.True(LossPlot.UsesLogAxis(wide, LossScale.Auto));
        Assert.False(LossPlot.UsesLogAxis(narrow, LossScale.Auto));
        Assert.True(LossPlot.UsesLogAxis(narrow, LossScale.Log));
        Assert.True(LossPlot.UsesLogAxis(wide, LossScale.Log));
        Assert.False(LossPlot.UsesLogAxis(wide, LossScale.Linear));
        Assert.False(LossPlot.UsesLogAxis(narrow, LossScale.Linear));
        Assert.True(LossPlot.UsesLogAxis(DefaultRun(), LossScale.Auto));
    }

    [Fact]
    public void Auto_counts_validation_losses_and_ignores_those_a_log_axis_cannot_draw()
    {
        // Training loss within one decade, validation three decades lower: the range is the union.
        var history = new TrainingHistory(Enumerable.Range(1, 5).Select(e => new EpochResult(e, 0.1 / e, 1e-4 / e, 0.01, TimeSpan.Zero)));
        Assert.True(LossPlot.UsesLogAxis(history, LossScale.Auto));

        // A zero or NaN loss is no "infinitely many decades": the rest spans one decade.
        var withZero = new TrainingHistory([.. Spanning(1, validation: false).Epochs, new EpochResult(11, 0, null, 0.01, TimeSpan.Zero)]);
        var withNaN = new TrainingHistory([.. Spanning(1, validation: false).Epochs, new EpochResult(11, double.NaN, null, 0.01, TimeSpan.Zero)]);
        Assert.False(LossPlot.UsesLogAxis(withZero, LossScale.Auto));
        Assert.False(LossPlot.UsesLogAxis(withNaN, LossScale.Auto));
        Assert.False(LossPlot.UsesLogAxis(new TrainingHistory(), LossScale.Auto));
    }

    [Fact]
    public void Over_four_decades_the_log_axis_shows_the_validation_curve_the_linear_axis_hides()
    {
        using var linear = SKBitmap.Decode(LossPlot.Render(DefaultRun(), LossScale.Linear));
        using var auto = SKBitmap.Decode(LossPlot.Render(DefaultRun()));
        var linearOrange = PixelCounts.Near(linear, LossPlot.ValidationColor);
        var autoOrange = PixelCounts.Near(auto, LossPlot.ValidationColor);
        var autoBlue = PixelCounts.Near(auto, LossPlot.TrainColor);

        // Measured: 120 orange pixels on the linear axis (the legend swatch and epochs 1-2; the committed
        // plots/loss.png, the same run, has 121), 611 on the log axis. Hidden, the curve would leave the swatch.
        Assert.True(autoOrange >= 4 * linearOrange, $"validation curve hidden: {autoOrange} orange pixels on the log axis, {linearOrange} on the linear one");
        Assert.True(autoOrange > 400, $"validation curve missing on the log axis ({autoOrange} orange pixels)");
        Assert.True(autoBlue > 1000, $"training curve missing on the log axis ({autoBlue} blue pixels)");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1.0)]
    public void A_loss_a_log_axis_cannot_draw_is_left_out(double bad)
    {
        var epochs = DefaultRun().Epochs.ToList();
        epochs[10] = epochs[10] with { Loss = bad, ValidationLoss = bad };
        var history = new TrainingHistory(epochs);

        using var bitmap = SKBitmap.Decode(LossPlot.Render(history, LossScale.Log));

        Assert.True(PixelCounts.Near(bitmap, LossPlot.TrainColor) > 1000);
        Assert.True(PixelCounts.Near(bitmap, LossPlot.ValidationColor) > 400);
    }

    [Fact]
    public void A_forced_log_axis_draws_a_history_with_nothing_it_can_draw()
    {
        var history = new TrainingHistory([new EpochResult(1, 0, 0, 0.01, TimeSpan.Zero), new EpochResult(2, double.NaN, double.NaN, 0.01, TimeSpan.Zero)]);
        using var bitmap = SKBitmap.Decode(LossPlot.Render(history, LossScale.Log));
        Assert.Equal(1000, bitmap.Width);
    }

    [Fact]
    public void Small_sizes_still_render_on_both_axes()
    {
        using var log = SKBitmap.Decode(LossPlot.Render(DefaultRun(), LossScale.Auto, 200, 120));
        using var linear = SKBitmap.Decode(LossPlot.Render(DefaultRun(), LossScale.Linear, 200, 120));
        Assert.Equal((200, 120), (log.Width, log.Height));
        Assert.Equal((200, 120), (linear.Width, linear.Height));
    }

    [Theory]
    [InlineData(-5.0, "1e-5")]
    [InlineData(-1.0, "1e-1")]
    [InlineData(0.0, "1")]
    [InlineData(2.0, "100")]
    [InlineData(3.0, "1e3")]
    [InlineData(-4.0000000001, "1e-4")]
    public void Log_ticks_read_as_powers_of_ten(double exponent, string label) =>
        Assert.Equal(label, LossPlot.PowerOfTenLabel(exponent));

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
