using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Forecasting;

namespace SimpleRnnTorch.Tests.Evaluation;

/// <summary>Where a series forecast's interval gets its errors, how its printed coverage is estimated, and that it never has zero width.</summary>
public sealed class SeriesIntervalTests
{
    [Fact]
    public void A_long_validation_part_alone_gives_the_origins()
    {
        // 1000 values, training part 800, window 12, horizon 10: origins 800..990, all in the validation part.
        var origins = SeriesForecast.IntervalOrigins(1000, 800, 12, 10, 10);

        Assert.Equal(800, origins[0]);
        Assert.Equal(990, origins[^1]);
        Assert.Equal(191, origins.Length);
    }

    [Fact]
    public void A_short_validation_part_is_joined_by_the_latest_origins_of_the_training_part()
    {
        // 60 values, training part 48, window 6, horizon 18 (the table's 12, the validation part's length).
        var origins = SeriesForecast.IntervalOrigins(60, 48, 6, 12, 18);

        // MinIntervalOrigins origins with all 18 steps after them (o ≤ 42): from 13 on.
        Assert.Equal(60 - 18 - SeriesForecast.MinIntervalOrigins + 1, origins[0]);
        Assert.Equal(48, origins[^1]);
        Assert.Equal(SeriesForecast.MinIntervalOrigins, origins.Count(o => o <= 60 - 18));

        // A window too long for that: as far back as it allows.
        Assert.Equal(20, SeriesForecast.IntervalOrigins(60, 48, 20, 12, 18)[0]);
        Assert.Equal(origins.Length, origins.Distinct().Count());
    }

    [Fact]
    public void Training_origins_are_taken_only_as_far_back_as_the_minimum_needs()
    {
        // 400 values, training part 380: 20 validation values, horizon 8 → 13 validation origins with the table's 8 steps.
        var origins = SeriesForecast.IntervalOrigins(400, 380, 24, 8, 8);

        Assert.Equal(400 - 8 - SeriesForecast.MinIntervalOrigins + 1, origins[0]);
        Assert.Equal(392, origins[^1]);
    }

    [Fact]
    public void The_coverage_estimate_tries_the_interval_of_the_older_origins_on_the_recent_ones()
    {
        // Errors that grow with time: the older two thirds (±1) cannot hold the recent third (±5).
        double[] step = [.. Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? 1.0 : -1.0), .. Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 5.0 : -5.0)];
        Assert.Equal(0, SeriesForecast.RecentCoverage([step], 0.8));

        // Exchangeable normal errors: the 80% interval widened × 1.35 holds P(|z| ≤ 1.2816 · 1.35) = 91.6% of them.
        var random = new Random(3);
        double[] even = [.. Enumerable.Range(0, 6000).Select(_ => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))];
        Assert.Equal(1.35, SeriesForecast.IntervalWidening);
        Assert.InRange(SeriesForecast.RecentCoverage([even], 0.8), 0.896, 0.936);

        Assert.True(double.IsNaN(SeriesForecast.RecentCoverage([[1.0]], 0.8)));
    }

    [Fact]
    public void The_coverage_estimate_gives_a_step_of_equal_errors_the_width_the_forecasts_interval_gets()
    {
        // A constant series: the older errors are all equal, so their interval has no width, and the recent ones differ
        // from them by rounding: on its own it holds none of them, while the forecast's interval (NeverZero) holds them all.
        double[] step = [.. Enumerable.Repeat(0.0, 20), .. Enumerable.Repeat(1e-9, 10)];
        double[] training = [.. Enumerable.Repeat(5.0, 40)];

        Assert.Equal(0, SeriesForecast.RecentCoverage([step], 0.8));
        Assert.Equal(1, SeriesForecast.RecentCoverage([step], 0.8, training));
    }

    [Fact]
    public void A_far_step_that_few_origins_reach_is_at_least_the_last_well_measured_steps_width_grown()
    {
        // Steps 1 and 2 from 20 errors each; step 3 from two small ones (the last origins of a long horizon), step 4 from one.
        var wide = Enumerable.Range(0, 20).Select(i => (i - 9.5) * 0.4).ToArray();
        var interval = ForecastInterval.FromErrors([wide, wide, [-0.1, 0.1], [0.05]]);
        Assert.Equal(2, SeriesForecast.LastWellMeasured(interval));

        var floored = SeriesForecast.AtLeastGrown(interval);

        Assert.Equal(interval.Lower[..2], floored.Lower[..2]);
        Assert.Equal(interval.Upper[..2], floored.Upper[..2]);
        Assert.Equal(interval.Upper[1] * Math.Sqrt(3.0 / 2), floored.Upper[2], 12);
        Assert.Equal(interval.Lower[1] * Math.Sqrt(4.0 / 2), floored.Lower[3], 12);
        Assert.True(interval.Upper[2] < interval.Upper[1] / 10, "the few origins alone gave a far narrower step");

        // Step 1 itself from too few errors (a short series): step 1 is the reference for the steps fewer origins reach.
        var few = ForecastInterval.FromErrors([[-1.0, -0.5, 0.5, 1.0], [-0.9, 0.2, 0.8], [0.05]]);
        Assert.Null(SeriesForecast.LastWellMeasured(few));
        var grown = SeriesForecast.AtLeastGrown(few);
        Assert.Equal(few.Upper[0] * Math.Sqrt(3.0), grown.Upper[2], 12);
        Assert.True(grown.Upper[1] >= few.Upper[0] * Math.Sqrt(2.0) - 1e-12);

        // Every step from as many errors: nothing changes.
        var even = ForecastInterval.FromErrors([[-1.0, 1.0], [-0.1, 0.1]]);
        Assert.Equal(even.Upper, SeriesForecast.AtLeastGrown(even).Upper);
    }

    [Fact]
    public void A_step_whose_errors_are_all_equal_gets_a_width_from_the_series_changes()
    {
        var interval = ForecastInterval.FromErrors([[0.0, 0.0, 0.0], [1.0, 2, 3, 4, 5, 6, 7, 8, 9]]);
        double[] training = [10, 12, 11, 13, 12]; // mean absolute change 1.5

        var widened = SeriesForecast.NeverZero(interval, training);

        Assert.Equal(-1.5, widened.Lower[0], 9);
        Assert.Equal(1.5, widened.Upper[0], 9);
        // Errors all above 0 put the point on the interval's lower edge: that side gets the change × √h.
        Assert.Equal(0, interval.Lower[1]);
        Assert.Equal(-1.5 * Math.Sqrt(2), widened.Lower[1], 9);
        Assert.Equal(interval.Upper[1], widened.Upper[1]);
        // ... at most the other side's offset, and a step with both sides kept as it is.
        var small = SeriesForecast.NeverZero(ForecastInterval.FromErrors([[-0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.1]]), training);
        Assert.Equal(-small.Lower[0], small.Upper[0], 9);
        var both = ForecastInterval.FromErrors([[-1.0, 0.5, 2.0]]);
        Assert.Equal((both.Lower[0], both.Upper[0]), (SeriesForecast.NeverZero(both, training).Lower[0], SeriesForecast.NeverZero(both, training).Upper[0]));
        // A flat training part has no change to take a width from: still not zero.
        var flat = SeriesForecast.NeverZero(ForecastInterval.FromErrors([[0.0]]), [5, 5, 5]);
        Assert.True(flat.Upper[0] > flat.Lower[0]);
    }
}
