using SimpleRnnTorch.Forecasting;

namespace SimpleRnnTorch.Tests.Forecasting;

public sealed class BaselineForecasterTests
{
    private static readonly double[] Hand = [3, 5, 4, 8, 6];

    [Fact]
    public void Naive_repeats_the_last_value()
    {
        Assert.Equal([6.0, 6.0, 6.0], new NaiveForecaster().Forecast(Hand, 3));
    }

    [Fact]
    public void Drift_extends_the_line_from_the_first_to_the_last_value()
    {
        // slope (6 − 3) / 4 = 0.75
        Assert.Equal([6.75, 7.5, 8.25], new DriftForecaster().Forecast(Hand, 3));
    }

    [Fact]
    public void Seasonal_naive_repeats_the_last_cycle()
    {
        // m = 3: the last cycle is [4, 8, 6]; steps 4 and 5 wrap round to it again.
        Assert.Equal([4.0, 8.0, 6.0, 4.0, 8.0], new SeasonalNaiveForecaster(3).Forecast(Hand, 5));
        Assert.Equal(new NaiveForecaster().Forecast(Hand, 4), new SeasonalNaiveForecaster(1).Forecast(Hand, 4));
    }

    [Fact]
    public void A_history_too_short_is_refused_with_a_typed_exception()
    {
        var e = Assert.Throws<InsufficientHistoryException>(() => new SeasonalNaiveForecaster(6).Forecast(Hand, 1));
        Assert.Equal((6, 5), (e.Required, e.Actual));
        Assert.Throws<InsufficientHistoryException>(() => new DriftForecaster().Forecast([1.0], 1));
        Assert.Throws<InsufficientHistoryException>(() => new NaiveForecaster().Forecast([], 1));
        Assert.Throws<InsufficientHistoryException>(() => new DampedHoltWintersForecaster().Forecast(Hand, 1));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NaiveForecaster().Forecast(Hand, 0));
        Assert.Throws<ArgumentException>(() => new DriftForecaster().Forecast([1, double.NaN, 3], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeasonalNaiveForecaster(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DampedHoltWintersForecaster(0));
    }

    [Fact]
    public void Mase_is_the_mae_over_the_in_sample_one_step_naive_mae()
    {
        // |5−3| + |4−5| + |8−4| + |6−8| = 9 over 4 steps
        Assert.Equal(2.25, ForecastMetrics.InSampleNaiveMae(Hand), 12);
        Assert.Equal(2 / 2.25, ForecastMetrics.Mase([7, 9], [6, 6], 2.25), 12);     // MAE (1 + 3) / 2
        Assert.True(double.IsNaN(ForecastMetrics.Mase([1], [2], 0)));
    }
}
