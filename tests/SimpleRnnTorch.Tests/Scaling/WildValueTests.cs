using SimpleRnnTorch.Data;
using SimpleRnnTorch.Forecasting;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Scaling;

/// <summary>
/// One wild value in a single series (a typo of 1e6 among values near 100) must not set its scaling or its season: the
/// statistics leave out values past 20 robust standard deviations, which a regular series never reaches, so its
/// scaling is exactly the plain one.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class WildValueTests
{
    /// <summary>A monthly season on a rising level with a little noise: 240 values near 100–150.</summary>
    private static float[] Seasonal(int n = 240)
    {
        var random = new Random(1);
        return [.. Enumerable.Range(0, n).Select(i => (float)(100 + (0.2 * i) + (10 * Math.Sin(2 * Math.PI * i / 12)) + random.NextDouble() - 0.5))];
    }

    /// <summary>A random walk of <paramref name="n"/> steps of at most ±0.5 from 0.</summary>
    private static float[] Walk(int n, int seed)
    {
        var random = new Random(seed);
        var walk = new float[n];
        for (var i = 1; i < walk.Length; i++)
        {
            walk[i] = walk[i - 1] + (float)(random.NextDouble() - 0.5);
        }

        return walk;
    }

    private static float[] WithWildValue(float[] values, int at)
    {
        var copy = (float[])values.Clone();
        copy[at] = 1e6f;
        return copy;
    }

    /// <summary>The plain statistics, as the scaler computed them before the bound: the standard deviation of every window's values and target relative to its last, and the mean change.</summary>
    private static (double Divisor, double Offset) Plain(float[] values, int t)
    {
        var d = new List<double>();
        var drift = new List<double>();
        for (var w = 0; w + t < values.Length; w++)
        {
            double last = values[w + t - 1];
            d.AddRange(Enumerable.Range(w, t + 1).Select(i => values[i] - last));
            drift.Add(values[w + t] - last);
        }

        var mean = d.Average();
        return (Math.Sqrt(d.Sum(x => x * x) / d.Count - (mean * mean)), drift.Average());
    }

    [Fact]
    public void A_regular_series_is_scaled_exactly_as_without_the_bound()
    {
        var values = Seasonal();
        var walk = Walk(400, seed: 9);

        foreach (var series in new[] { values, walk })
        {
            var scaler = SequenceScaler.ForWindows(series, 12);
            var (divisor, offset) = Plain(series, 12);
            Assert.Equal(divisor, scaler.Divisor, 9);
            Assert.Equal(offset, scaler.Offset, 9);
        }
    }

    [Fact]
    public void A_wild_value_leaves_the_divisor_and_the_drift_near_the_regular_series_ones()
    {
        var regular = SequenceScaler.ForWindows(Seasonal(), 12);
        var wild = SequenceScaler.ForWindows(WithWildValue(Seasonal(), 120), 12);

        Assert.True(Plain(WithWildValue(Seasonal(), 120), 12).Divisor > 1000 * regular.Divisor); // what it was
        Assert.InRange(wild.Divisor / regular.Divisor, 0.8, 1.25);
        Assert.InRange(Math.Abs(wild.Offset - regular.Offset), 0, 0.5);
    }

    /// <summary>
    /// The bound is the 90th percentile's: a few wild values (12 of 300, each spoiling a window's worth of relative values)
    /// are left out, and a sharp season is not (a December at three times the other months: a seventh of the relative
    /// values are large, which a median-based bound would have cut).
    /// </summary>
    [Fact]
    public void A_few_wild_values_are_left_out_and_a_sharp_season_is_not()
    {
        var random = new Random(12);
        float[] clean = [.. Enumerable.Range(0, 300).Select(i => (float)(250 + (10 * Math.Sin(i / 3.0)) + random.NextDouble() - 0.5))];
        var wild = (float[])clean.Clone();
        foreach (var at in Enumerable.Range(0, 12).Select(i => 15 + (i * 19)))
        {
            wild[at] += 1e4f;
        }

        Assert.InRange(SequenceScaler.ForWindows(wild, 12).Divisor / SequenceScaler.ForWindows(clean, 12).Divisor, 0.8, 1.25);

        float[] december = [.. Enumerable.Range(0, 240).Select(i => (float)((i % 12 == 11 ? 300 : 100) + (0.05 * i) + random.NextDouble() - 0.5))];
        var scaler = SequenceScaler.ForWindows(december, 12, ScalingKind.Seasonal, 12);
        var (divisor, _) = Plain(december, 12);
        Assert.Equal(divisor, scaler.Divisor, 9);
        Assert.True(scaler.TargetBound * scaler.Divisor > 200, $"a December's rise of 200 is clipped at {scaler.TargetBound * scaler.Divisor}");
        Assert.True(SeasonCheck.SeasonalNaiveBeatsNaive(december, 12));
    }

    [Fact]
    public void A_target_beyond_the_bound_is_trained_on_as_the_bound()
    {
        var scaler = SequenceScaler.ForWindows(WithWildValue(Seasonal(), 120), 12);
        double[] window = [.. Seasonal()[..12].Select(v => (double)v)];

        Assert.InRange(scaler.TargetBound, 10, 40); // 20 robust standard deviations, in divisors
        Assert.Equal(scaler.TargetBound - (scaler.Offset / scaler.Divisor), scaler.TransformTarget(1e6, window), 9);
        Assert.Equal(-scaler.TargetBound - (scaler.Offset / scaler.Divisor), scaler.TransformTarget(-1e6, window), 9);
        Assert.Equal((1 / scaler.Divisor) - (scaler.Offset / scaler.Divisor), scaler.TransformTarget(window[^1] + 1, window), 9);
    }

    /// <summary>
    /// Not wild values: a quiet series that turns into a steep trend (two fifths of it) and an intermittent one (zeros and
    /// rare sales) are scaled exactly as without the bound, and their training targets are not clipped.
    /// </summary>
    [Fact]
    public void A_change_of_regime_and_an_intermittent_series_are_not_wild()
    {
        var random = new Random(3);
        float[] regime = [.. Enumerable.Range(0, 250).Select(i => (float)(100 + random.NextDouble() - 0.5 + (i < 150 ? 0 : 100.0 * (i - 150))))];
        var intermittent = new float[2000];
        for (var i = 0; i < intermittent.Length; i += 400)
        {
            intermittent[i] = 100;
        }

        foreach (var series in new[] { regime, intermittent })
        {
            var scaler = SequenceScaler.ForWindows(series, 12);
            var (divisor, offset) = Plain(series, 12);
            Assert.Equal(divisor, scaler.Divisor, 9);
            Assert.Equal(offset, scaler.Offset, 9);
        }

        Assert.Equal(double.PositiveInfinity, SequenceScaler.ForWindows(intermittent, 12).TargetBound);
        var steep = SequenceScaler.ForWindows(regime, 12);
        double[] window = [.. regime[200..212].Select(v => (double)v)];
        Assert.Equal(((window[^1] + 100 - window[^1]) / steep.Divisor) - (steep.Offset / steep.Divisor), steep.TransformTarget(window[^1] + 100, window), 9);
        Assert.False(SeasonCheck.SeasonalNaiveBeatsNaive(regime, 12));
    }

    [Fact]
    public void A_wild_value_does_not_decide_whether_a_season_pays()
    {
        var seasonal = Seasonal();
        var walk = Walk(240, seed: 4);

        Assert.True(SeasonCheck.SeasonalNaiveBeatsNaive(WithWildValue(seasonal, 120), 12));
        Assert.False(SeasonCheck.SeasonalNaiveBeatsNaive(WithWildValue(walk, 120), 12));
        Assert.True(SeasonCheck.SeasonalNaiveBeatsNaive(seasonal, 12));
    }

    /// <summary>End to end: the forecast of a series with one wild value in its training part is the clean series' forecast, near enough.</summary>
    [Fact]
    public void A_wild_value_in_the_training_part_leaves_the_forecast_near_the_clean_ones()
    {
        using var temp = new TempFolder();
        string Write(string name, float[] values)
        {
            var path = temp.File(name);
            File.WriteAllLines(path, ["month,value", .. values.Select((v, i) => $"{2000 + (i / 12)}-{(i % 12) + 1:00},{v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}")]);
            return path;
        }

        double[] Forecast(string path)
        {
            using var run = TrainingPipeline.Run(new TrainJob
            {
                Source = new SeriesData(new SeriesSettings(path, TimeColumn: "month")),
                Training = new TrainingConfig { Epochs = 15, Seed = 2, LearningRate = 0.01 },
            });
            return run.Series!.Forecast;
        }

        var clean = Forecast(Write("clean.csv", Seasonal()));
        var wild = Forecast(Write("wild.csv", WithWildValue(Seasonal(), 120)));

        var worst = clean.Zip(wild, (a, b) => Math.Abs(a - b) / Math.Abs(a)).Max();
        Assert.True(worst < 0.05, $"the forecast moved by up to {worst:P1} of the clean one ({string.Join(", ", wild.Select(v => v.ToString("F1")))} against {string.Join(", ", clean.Select(v => v.ToString("F1")))})");
    }

    /// <summary>A series that never changes is divided by a thousandth of its size (by 1 the network's noise swamped a constant 1e-6).</summary>
    [Theory]
    [InlineData(1e-6)]
    [InlineData(5.0)]
    [InlineData(-3e4)]
    public void A_constant_series_is_divided_by_a_thousandth_of_its_size(double level)
    {
        float[] constant = [.. Enumerable.Repeat((float)level, 60)];
        Assert.Equal(Math.Abs((float)level) * 1e-3, SequenceScaler.ForWindows(constant, 12).Divisor, Math.Abs(level) * 1e-9);
        Assert.Equal(1, SequenceScaler.ForWindows(new float[60], 12).Divisor); // all zeros: no size to take
    }
}
