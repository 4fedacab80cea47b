using SimpleRnnTorch.Scaling;

namespace SimpleRnnTorch.Tests.Scaling;

/// <summary>A panel's scaler: one series' spike must not set every series' divisor and drift; a series' size is not in it.</summary>
public sealed class SpreadScalerTests
{
    [Theory]
    [InlineData(0.0, true)]
    [InlineData(1e-30, true)]     // the bounds as a file's value becomes them in float32
    [InlineData(1e30, true)]
    [InlineData(5.0, true)]
    [InlineData(9e-31, false)]
    [InlineData(1.1e30, false)]
    [InlineData(2.5e-38, false)]
    public void A_series_size_is_scalable_from_1e_minus_30_to_1e30_as_float32_reads_them(double value, bool scalable) =>
        Assert.Equal(scalable, SpreadScaler.Scalable(Math.Abs((double)(float)value)));

    private static float[] Wave(double level, int n = 48) =>
        [.. Enumerable.Range(0, n).Select(i => (float)(level + (level / 10 * Math.Sin(i / 2.0)) + (level / 100 * ((i * 7919 % 13) - 6))))];

    [Fact]
    public void A_spike_in_one_series_leaves_the_divisor_and_the_drift_where_the_regular_series_put_them()
    {
        var regular = SpreadScaler.ForWindows([Wave(100), Wave(100)], 12, 1);
        var spiked = Wave(100);
        spiked[20] = 1000;

        var withSpike = SpreadScaler.ForWindows([Wave(100), spiked], 12, 1);

        Assert.InRange(withSpike.Divisor / regular.Divisor, 0.8, 1.25);
        Assert.InRange(Math.Abs(withSpike.Offset - regular.Offset), 0, 0.25);
    }

    [Fact]
    public void The_statistics_are_the_same_for_a_series_at_any_size()
    {
        var one = SpreadScaler.ForWindows([Wave(1)], 12, 1);
        var tiny = SpreadScaler.ForWindows([[.. Wave(1).Select(v => v * 1e-29f)]], 12, 1);
        var huge = SpreadScaler.ForWindows([[.. Wave(1).Select(v => v * 1e29f)]], 12, 1);

        Assert.Equal(one.Divisor, tiny.Divisor, 4);
        Assert.Equal(one.Divisor, huge.Divisor, 4);
        Assert.Equal(one.Offset, tiny.Offset, 4);
    }

    [Fact]
    public void A_target_beyond_the_largest_change_is_trained_on_as_that_change()
    {
        var scaler = new SpreadScaler(1, 0, 1);
        double[] window = [10, 11, 10, 11];

        Assert.Equal(SpreadScaler.MaxTargetSpreads, scaler.TransformTarget(1e6, window), 9);
        Assert.Equal(-SpreadScaler.MaxTargetSpreads, scaler.TransformTarget(-1e6, window), 9);
        Assert.Equal((12 - 11) / SpreadScaler.Spread(window), scaler.TransformTarget(12, window), 9);
    }
}
