using SimpleRnnTorch.Forecasting;

namespace SimpleRnnTorch.Tests.Forecasting;

public sealed class ForecastIntervalTests
{
    [Fact]
    public void A_floor_raises_a_lower_bound_below_it_and_moves_an_interval_wholly_below_it_up_keeping_its_width()
    {
        // Offsets [-3, -1]: around 10 the interval is above the floor 0; around 2 it crosses it; around 0.5 it lies below it.
        // 19 errors at 0.8: the 2nd and the 18th, -3 and -1.
        // (Offsets an interval from errors cannot have, as it holds its point: made by hand to exercise the floor.)
        var interval = new ForecastInterval(0.8, [-3.0, -3.0, -3.0], [-1.0, -1.0, -1.0], [19, 19, 19], [true, true, true]);
        var (lo, hi) = interval.Around([10.0, 2.0, 0.5], floor: 0);

        Assert.Equal([7.0, 0.0, 0.0], lo);
        Assert.Equal([9.0, 1.0, 2.0], hi);

        // The library's interval (predict, SequenceModel.Forecast, /forecast) floors by the same definition.
        var library = new Inference.ForecastInterval(0.8, [-3.0], [-1.0]) { Floor = 0 };
        Assert.Equal((0.0, 2.0), library.Around(0.5, 1));
        Assert.Equal((0.0, 1.0), library.Around(2.0, 1));
    }

    [Fact]
    public void The_conformal_ranks_pick_the_order_statistics()
    {
        // n = 19 at 0.8: ranks ⌊20·0.1⌋ = 2 and ⌈20·0.9⌉ = 18.
        var errors = Enumerable.Range(-9, 19).Select(i => (double)i).Reverse().ToArray();
        var interval = ForecastInterval.FromErrors([errors], 0.8);
        Assert.Equal((-8.0, 8.0, true), (interval.Lower[0], interval.Upper[0], interval.Guaranteed[0]));

        // Errors all on one side (the model forecasts too low every time): the 2nd and the 18th are 2 and 18, and the
        // interval is widened to hold the point forecast itself, offset 0.
        var above = ForecastInterval.FromErrors([[.. Enumerable.Range(1, 19).Select(i => (double)i)], [.. Enumerable.Range(1, 19).Select(i => (double)-i)]], 0.8);
        Assert.Equal((0.0, 18.0), (above.Lower[0], above.Upper[0]));
        Assert.Equal((-18.0, 0.0), (above.Lower[1], above.Upper[1]));

        // n = 9 at 0.8: ranks 1 and 9, the extremes, still guaranteed.
        var nine = ForecastInterval.FromErrors([[-4, -3, -2, -1, 0, 1, 2, 3, 4]]);
        Assert.Equal((-4.0, 4.0, true), (nine.Lower[0], nine.Upper[0], nine.Guaranteed[0]));
        var (lo, hi) = nine.Around([10.0]);
        Assert.Equal((6.0, 14.0), (lo[0], hi[0]));
    }

    [Fact]
    public void Too_few_errors_widen_the_interval_and_never_give_nan()
    {
        // n = 4 at 0.8: rank ⌈5·0.9⌉ = 5 > 4; W = max(3 − (−1), 3) = 4.
        var interval = ForecastInterval.FromErrors([[-1, 0, 2, 3], [2.0]]);
        Assert.Equal((-5.0, 7.0, false), (interval.Lower[0], interval.Upper[0], interval.Guaranteed[0]));
        // n = 1: W = |e| = 2: [0, 4].
        Assert.Equal((0.0, 4.0), (interval.Lower[1], interval.Upper[1]));
        Assert.Equal([4, 1], interval.Counts);
        Assert.Throws<ArgumentException>(() => ForecastInterval.FromErrors([Array.Empty<double>()]));
    }

    [Fact]
    public void On_white_noise_the_80_percent_interval_covers_about_80_percent_of_later_origins()
    {
        // y = 50 + N(0, 1): a naive forecast's error at any step is N(0, 2), so the 80% offsets are ±1.2816·√2 = ±1.81.
        var random = new Random(11);
        var y = Enumerable.Range(0, 1000).Select(_ => 50 + Gaussian(random)).ToArray();
        var naive = new NaiveForecaster();
        var calibration = Backtest.Run(y[..500], [naive], origins: 400, horizon: 3, spacing: 1).Forecasters[0];
        var interval = ForecastInterval.FromBacktest(calibration);
        Assert.All(interval.Guaranteed, Assert.True);
        for (var h = 0; h < 3; h++)
        {
            Assert.InRange(interval.Lower[h], -1.81 - 0.3, -1.81 + 0.3);
            Assert.InRange(interval.Upper[h], 1.81 - 0.3, 1.81 + 0.3);
        }

        var later = Backtest.Run(y[500..], [naive], origins: 400, horizon: 3, spacing: 1).Forecasters[0];
        Assert.InRange(interval.Coverage(later), 0.75, 0.85);
        Assert.InRange(ForecastInterval.FromBacktest(calibration, 0.5).Coverage(later), 0.44, 0.56);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    [Fact]
    public void A_panels_model_without_a_floor_floors_each_series_never_negative_at_0()
    {
        var panel = new Inference.ForecastInterval(0.8, [-1.0], [1.0]) { PerSpread = true };
        Assert.Equal(0, panel.FloorFor([0, 2, 5]));
        Assert.Null(panel.FloorFor([3, -0.5, 5]));
        Assert.Equal(-7, (panel with { Floor = -7 }).FloorFor([3, 4]));        // the model's own floor stands
        Assert.Null((panel with { PerSpread = false }).FloorFor([3, 4]));     // one series' model: its training part decided
    }
}
