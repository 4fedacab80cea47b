using SimpleRnnTorch.Forecasting;

namespace SimpleRnnTorch.Tests.Forecasting;

public sealed class BacktestTests
{
    [Fact]
    public void Origins_are_spaced_by_the_horizon_and_the_last_leaves_exactly_the_horizon()
    {
        Assert.Equal([8, 11, 14, 17], Backtest.Origins(20, 3));
        Assert.Equal([15, 16, 17], Backtest.Origins(20, 3, count: 3, spacing: 1));
        Assert.Throws<ArgumentException>(() => Backtest.Origins(13, 3));    // the first origin would be 1
        Assert.Equal([2, 5, 8, 11], Backtest.Origins(14, 3));
    }

    [Fact]
    public void Each_origin_fits_on_the_values_before_it_and_is_scored_on_the_next_h()
    {
        double[] y = [1, 3, 2, 4, 3, 5, 10, 6, 7, 9];
        var result = Backtest.Run(y, [new NaiveForecaster(), new DriftForecaster()], origins: 2, horizon: 2);

        Assert.Equal([6, 8], result.Origins);
        var naive = result.Forecasters[0];
        var first = naive.Origins[0];
        Assert.Equal([5.0, 5.0], first.Forecast);
        Assert.Equal([10.0, 6.0], first.Actual);
        Assert.Equal([5.0, 1.0], first.Errors);                  // actual − forecast
        Assert.Equal(1.6, first.Scale, 12);                       // (2 + 1 + 2 + 1 + 2) / 5
        Assert.Equal(3 / 1.6, first.Mase, 12);
        var second = naive.Origins[1];
        Assert.Equal([6.0, 6.0], second.Forecast);
        Assert.Equal([1.0, 3.0], second.Errors);
        Assert.Equal(17 / 7.0, second.Scale, 12);                 // 1.6·5 + 5 + 4 over 7 steps
        Assert.Equal((3 / 1.6 + 2 / (17 / 7.0)) / 2, naive.MeanMase, 12);
        Assert.Equal([5.0, 1.0], naive.ErrorsAtStep(1));

        Assert.Equal("drift", result.Forecasters[1].Name);
        Assert.Equal(5 + 0.8, result.Forecasters[1].Origins[0].Forecast[0], 12);  // slope (5 − 1) / 5
    }

    [Fact]
    public void A_forecaster_needing_more_history_than_the_first_origin_is_refused_before_any_fit()
    {
        var counting = new CountingForecaster();
        var e = Assert.Throws<InsufficientHistoryException>(() =>
            Backtest.Run(Enumerable.Range(0, 20).Select(i => (double)i).ToArray(), [counting, new SeasonalNaiveForecaster(12)], 4, 3));
        Assert.Equal(8, e.Actual);
        Assert.Equal(0, counting.Calls);
    }

    [Fact]
    public void A_forecast_of_the_wrong_length_is_reported()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Backtest.Run(new double[20], [new CountingForecaster { Short = true }], 2, 3));
        Assert.Contains("returned 2 values (expected 3)", e.Message);
    }

    private sealed class CountingForecaster : IForecaster
    {
        public int Calls { get; private set; }

        public bool Short { get; init; }

        public string Name => "counting";

        public int MinimumHistory => 1;

        public double[] Forecast(ReadOnlySpan<double> history, int horizon)
        {
            Calls++;
            return new double[Short ? horizon - 1 : horizon];
        }
    }
}
