using SimpleRnnTorch.Cli.Sources;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Data;

/// <summary>Windows, the Keras-style split of a series, and the scaler that sees only the training part, on hand-made series.</summary>
[Collection(TorchCollection.Name)]
public sealed class SeriesWindowsTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static Series Series(params float[] values) => new("hand-made.csv", "v", values, null, 0, ',', false);

    /// <summary>
    /// 1..10 with T = 3: 7 windows; int(7 · 0.8) = 5 train, 2 validate. The training part is 1..8 (every value
    /// a training window reads or predicts); the validation targets are 9 and 10, the most recent values.
    /// </summary>
    [Fact]
    public void Ten_values_three_steps_give_five_training_and_two_validation_windows()
    {
        var plan = SeriesWindows.Plan(Series(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), timeSteps: 3, validationSplit: 0.2, season: null);

        Assert.Equal((7, 5, 2, 8), (plan.Windows, plan.TrainWindows, plan.ValidationWindows, plan.TrainingValues));

        using var rows = SeriesWindows.Sequences([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3);
        Assert.Equal([7L, 4], rows.shape);
        Assert.Equal([1f, 2, 3, 4], rows[0].data<float>().ToArray());
        Assert.Equal([7f, 8, 9, 10], rows[6].data<float>().ToArray());
    }

    [Theory]
    [InlineData(5, 3, 0.2, 2, 1, 1)]      // T + 2 values: the fewest that give one window of each
    [InlineData(100, 5, 0.25, 95, 71, 24)] // int(95 · 0.75) = 71
    [InlineData(12, 1, 0.5, 11, 5, 6)]
    public void Window_and_split_arithmetic(int length, int timeSteps, double split, int windows, int train, int validation)
    {
        var plan = SeriesWindows.Plan(Series(new float[length]), timeSteps, split, null);
        Assert.Equal((windows, train, validation, train + timeSteps), (plan.Windows, plan.TrainWindows, plan.ValidationWindows, plan.TrainingValues));
    }

    [Fact]
    public void A_given_horizon_is_at_most_the_series_length()
    {
        var series = Series(new float[120]);
        Assert.Equal(120, new SeriesSettings("f.csv", Horizon: 120) { Labels = SeriesCli.Labels }.HorizonOf(series));
        Assert.Equal(SeriesSettings.DefaultHorizon, new SeriesSettings("f.csv") { Labels = SeriesCli.Labels }.HorizonOf(series));
        var error = Assert.Throws<SeriesDataException>(() => new SeriesSettings("f.csv", Horizon: 121) { Labels = SeriesCli.Labels }.HorizonOf(series));
        Assert.Equal("--horizon 121 is longer than --data 'hand-made.csv' (120 values of v); forecast at most as many values as the series has", error.Message);

        // The default is the dates' and is held to the same bound, never refused: a weekly series of 40 values forecasts 40
        // weeks (the 52 asked for would be refused), one of 60 a year of weeks.
        TimeAxis Weeks() => new TimeAxis.Dated("week", TimeFrequency.Weekly, new DateOnly(2020, 1, 6), DateFormat.IsoDate);
        Assert.Equal(40, new SeriesSettings("w.csv") { Labels = SeriesCli.Labels }.HorizonOf(new Series("w.csv", "v", new float[40], Weeks(), 0, ',', true)));
        Assert.Equal(52, new SeriesSettings("w.csv") { Labels = SeriesCli.Labels }.HorizonOf(new Series("w.csv", "v", new float[60], Weeks(), 0, ',', true)));
    }

    [Fact]
    public void Too_few_values_and_a_season_longer_than_the_training_part_are_refused()
    {
        var error = Assert.Throws<SeriesDataException>(() => SeriesWindows.Plan(Series(1, 2, 3, 4), 3, 0.2, null, labels: SeriesCli.Labels));
        Assert.Contains("has 4 value(s) of v; --time-steps 3 needs at least 5", error.Message);

        Assert.Equal(8, SeriesWindows.Plan(Series(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 3, 0.2, season: 8).TrainingValues);
        var season = Assert.Throws<SeriesDataException>(() => SeriesWindows.Plan(Series(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 3, 0.2, season: 9, labels: SeriesCli.Labels));
        Assert.Contains("--season 9 is larger than the training part", season.Message);
        Assert.Contains("(8 values)", season.Message);
    }

    /// <summary>
    /// The same split through the pipeline: which rows train and which validate, each window relative to its own
    /// last value, with one divisor from the training part.
    /// </summary>
    [Fact]
    public void A_series_job_trains_on_the_first_windows_and_validates_on_the_last_in_order()
    {
        var file = temp.File("ten.csv");
        File.WriteAllText(file, "t,v\n" + string.Concat(Enumerable.Range(1, 10).Select(i => $"{i},{i * i}\n")));
        var other = temp.File("ten-other.csv");
        File.WriteAllText(other, "t,v\n" + string.Concat(Enumerable.Range(1, 8).Select(i => $"{i},{i * i}\n")) + "9,900\n10,-1000\n");

        using var run = Run(file);
        using var otherRun = Run(other);

        // Squares 1..100, T = 3: 7 windows, the first 5 train (targets 16..64), the last 2 validate (81, 100).
        var d = run.Scaler.Divisor;
        Assert.True(run.Scaler.RelativeToLast);
        // A target is its change from the window's last value, less the drift: the training targets' mean change, 11.
        Assert.Equal(11, run.Scaler.Offset, 9);
        Assert.Equal([16.0 - 9 - 11, 25 - 16 - 11, 36 - 25 - 11, 49 - 36 - 11, 64 - 49 - 11], Changes(run.Data.Tensors.TrainTargets, d));
        Assert.Equal([81.0 - 64 - 11, 100 - 81 - 11], Changes(run.Data.Tensors.ValidationTargets, d));
        Assert.Equal([36.0 - 64, 49 - 64, 0, 49 - 81, 64 - 81, 0], Changes(run.Data.Tensors.ValidationInputs, d));
        Assert.Equal(SequenceScaler.ForWindows([1, 4, 9, 16, 25, 36, 49, 64], 3, ScalingKind.Difference), run.Scaler); // the training part only
        Assert.Equal(run.Scaler, otherRun.Scaler); // the validation values do not move the scale
        Assert.Equal(2, run.Series!.OneStep.Length);
        Assert.Equal(ScalingKind.Difference, run.Manifest.Scaling);
        Assert.Equal(d, run.Manifest.ScaleDivisor);
    }

    /// <summary>The divisor of a relative scaling: the spread of every training window's values and target minus its last value.</summary>
    [Fact]
    public void The_relative_divisor_is_the_spread_of_the_windows_around_their_last_value()
    {
        // 0, 1, 2, 3 with T = 2: windows (0, 1 → 2) and (1, 2 → 3); minus the last value: -1, 0, 1 twice.
        var scaler = SequenceScaler.ForWindows([0, 1, 2, 3], 2);
        Assert.Equal(Math.Sqrt(2.0 / 3), scaler.Divisor, 12);
        Assert.Equal(new DifferenceScaler(5e-3, 0) { Floor = 0 }, SequenceScaler.ForWindows([5, 5, 5, 5], 2)); // no spread: a thousandth of its size; never negative: floored at 0
        Assert.Null(SequenceScaler.ForWindows([5, -5, 5, 5], 2).Floor); // a negative training value: no floor

        // By ratio: 1, 2, 4, 8 with T = 2: windows (1, 2 → 4) and (2, 4 → 8); over the last value, minus 1: -0.5, 0, 1 twice.
        Assert.Equal(Math.Sqrt(((0.25 + 0 + 1) / 3) - Math.Pow(0.5 / 3, 2)), SequenceScaler.ForWindows([1, 2, 4, 8], 2, ScalingKind.Ratio).Divisor, 12);
    }

    /// <summary>A seasonal scaling: the inputs relative to the last value, the target to the value a season before it, less the seasonal drift.</summary>
    [Fact]
    public void A_seasonal_scaling_takes_the_target_relative_to_a_season_back()
    {
        // Period 2 on a rise of 1 a step: 0, 10, 2, 12, 4, 14, 6, 16. With T = 4 and lag 2 every target is 2
        // above the value two steps before it, so the seasonal drift is 2 and every scaled target 0.
        float[] values = [0, 10, 2, 12, 4, 14, 6, 16];
        var scaler = SequenceScaler.ForWindows(values, 4, ScalingKind.Seasonal, lag: 2);
        Assert.Equal((ScalingKind.Seasonal, 2), (scaler.Kind, scaler.Lag));
        Assert.Equal(2, scaler.Offset, 12);

        using var inputs = torch.tensor(new float[] { 0, 10, 2, 12 }, [1, 4]);
        using var target = torch.tensor(new float[] { 4 }, [1]);
        var (x, y) = scaler.Transform(inputs, target);
        using (x)
        using (y)
        {
            var d = scaler.Divisor;
            Assert.Equal([-12 / d, -2 / d, -10 / d, 0], x.data<float>().ToArray().Select(v => Math.Round(v, 5)), (a, b) => Math.Abs(a - b) < 1e-4);
            Assert.Equal(0, y.item<float>(), 6);
        }

        // And back: an output of 0 is the value a season back plus the drift.
        using var output = torch.zeros(1, 1, dtype: torch.ScalarType.Float64);
        using var windows = torch.tensor(new float[] { 0, 10, 2, 12 }, [1, 4, 1]);
        using var back = scaler.InverseOutputs(output, windows);
        Assert.Equal(4, back.item<double>(), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => SequenceScaler.ForWindows(values, 4, ScalingKind.Seasonal, lag: 5));
    }

    private static TrainingRun Run(string file) => TrainingPipeline.Run(new TrainJob
    {
        Source = new SeriesData(new SeriesSettings(file, Horizon: 2, Scaling: ScalingKind.Difference) { Labels = SeriesCli.Labels }, Window: 3),
        Training = new TrainingConfig { Epochs = 1, Seed = 1 },
    });

    private static double[] Changes(Tensor scaled, double divisor)
    {
        using var cpu = scaled.to(CPU).flatten();
        return cpu.data<float>().ToArray().Select(v => Math.Round(v * divisor, 3)).ToArray();
    }

    [Theory]
    [InlineData(36, 12, 12)] // three seasons: a whole season, more than a quarter of the series
    [InlineData(35, 12, 8)] // fewer: at most a quarter
    [InlineData(400, 12, 12)]
    [InlineData(100, null, 12)]
    [InlineData(40, null, 10)]
    [InlineData(20, 4, 4)]
    [InlineData(7, null, 2)] // never 1 where 2 fits: a window of 1 relative to its last value is always 0
    [InlineData(4, null, 2)]
    [InlineData(3, null, 1)] // a window of 2 needs 4 values
    public void The_default_window_is_a_season_when_three_fit_else_at_most_a_quarter_of_the_series(int length, int? season, int expected) =>
        Assert.Equal(expected, SimpleRnnTorch.Sources.SeriesData.WindowFor(length, season));
}
