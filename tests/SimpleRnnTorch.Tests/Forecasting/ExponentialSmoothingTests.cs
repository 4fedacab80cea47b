using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Tests.Forecasting;

public sealed class ExponentialSmoothingTests
{
    /// <summary>A season whose swing grows with the level (the airline shape): on ln y it is a fixed pattern on a line.</summary>
    private static double[] Multiplicative(int n, double noise = 0, int seed = 1)
    {
        double[] factors = [0.9, 0.85, 1.0, 1.05, 1.1, 1.25, 1.35, 1.3, 1.1, 0.95, 0.85, 0.9];
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(t => 100 * Math.Pow(1.01, t) * factors[t % 12] * Math.Exp(noise * (random.NextDouble() - 0.5)))];
    }

    [Fact]
    public void A_season_that_grows_with_the_level_is_fitted_on_the_logarithms_and_continued()
    {
        var y = Multiplicative(96, noise: 0.02);
        var fit = ExponentialSmoothing.Select(y, 12);
        Assert.True(fit.Log, $"chose {fit.Form}");
        Assert.Equal(12, fit.Season);
        var truth = Multiplicative(120)[96..];
        var forecast = fit.Forecast(24);
        for (var h = 0; h < 24; h++)
        {
            Assert.InRange(forecast[h] / truth[h], 0.96, 1.04);
        }
    }

    /// <summary>
    /// A level that jumps tenfold in the last two values: a damped trend on ln y would carry the jump on as growth (a
    /// forecast of millions ten steps on). The smoothing forecasts with the form of least AICc alone, which holds the new
    /// level; a mean of every form by its Akaike weight let such a form of weight 0.03 decide it (docs/series.md).
    /// </summary>
    [Fact]
    public void A_jump_at_the_end_is_held_as_a_level_not_carried_on_as_growth()
    {
        double[] y = [.. Enumerable.Range(0, 48).Select(t => 100 + (2 * Math.Sin(t * 1.7))), 1000, 1010];
        var forecast = new SmoothingCombination(0.5, 0, 1000).Fit(y).Forecast(10);
        Assert.All(forecast, f => Assert.InRange(f, 950, 1070));
    }

    [Fact]
    public void Growth_on_logarithms_is_damped_never_a_fixed_factor_forever()
    {
        // Five decades of near-exponential growth: an undamped trend on ln y would carry 3% a step on for ever.
        var y = Enumerable.Range(0, 19).Select(t => 4 * Math.Pow(1.3, t) * (1 + (0.01 * (t % 3)))).ToArray();
        var fit = ExponentialSmoothing.Select(y, null);
        Assert.False(fit.Log && fit.Form.Trend == SmoothingTrend.Additive, $"chose {fit.Form}");
        Assert.False(ExponentialSmoothing.Candidate(SmoothingTrend.Additive, log: true));
        Assert.True(ExponentialSmoothing.Candidate(SmoothingTrend.Damped, log: true));
        Assert.True(ExponentialSmoothing.Candidate(SmoothingTrend.Additive, log: false));
    }

    [Fact]
    public void A_series_that_is_not_positive_gets_no_form_on_logarithms()
    {
        var y = Multiplicative(60, noise: 0.02).Select(v => v - 150).ToArray();   // crosses 0
        Assert.Contains(y, v => v <= 0);
        Assert.False(ExponentialSmoothing.Select(y, 12).Log);
        Assert.Throws<ArgumentException>(() => ExponentialSmoothing.Fit(y, new SmoothingForm(SmoothingTrend.None, 0, Log: true)));
    }

    [Fact]
    public void A_line_gets_a_trend_and_is_continued_and_the_trendless_form_stays_flat()
    {
        var y = Enumerable.Range(0, 40).Select(t => 5 + 2.0 * t + (t % 2 == 0 ? 0.1 : -0.1)).ToArray();
        var fit = ExponentialSmoothing.Select(y, null);
        Assert.NotEqual(SmoothingTrend.None, fit.Form.Trend);
        var forecast = fit.Forecast(5);
        for (var h = 1; h <= 5; h++)
        {
            // A damped trend may fall short of the line by 2·Σ(1 − φ^i) ≤ 2·5·0.2.
            Assert.InRange(forecast[h - 1], 5 + 2.0 * (39 + h) - 2.5, 5 + 2.0 * (39 + h) + 0.3);
        }

        var flat = ExponentialSmoothing.Fit(y, new SmoothingForm(SmoothingTrend.None, 0, Log: false));
        Assert.Equal((0.0, 0.0, 1.0), (flat.Beta, flat.Trend, flat.Phi));
        Assert.All(flat.Forecast(5), v => Assert.Equal(flat.Level, v));
    }

    [Fact]
    public void Noise_around_a_constant_gets_the_simplest_form()
    {
        var random = new Random(7);
        var y = Enumerable.Range(0, 200).Select(_ => 50 + random.NextDouble()).ToArray();
        var fit = ExponentialSmoothing.Select(y, 12);
        Assert.Equal((SmoothingTrend.None, 0), (fit.Form.Trend, fit.Season));
        Assert.All(fit.Forecast(3), v => Assert.InRange(v, 50, 51));
    }

    [Fact]
    public void The_form_with_the_least_aicc_is_chosen_among_every_form_that_fits()
    {
        var raw = Multiplicative(72, noise: 0.05, seed: 3);
        var chosen = ExponentialSmoothing.Select(raw, 12);
        var y = raw.Select(v => v / raw.Average(Math.Abs)).ToArray();   // as Select fits them
        Assert.Equal(raw.Average(Math.Abs), chosen.Scale, 12);
        var n = y.Length;
        var logSum = y.Sum(Math.Log);
        foreach (var log in new[] { false, true })
        {
            foreach (var season in new[] { 0, 12 })
            {
                foreach (var trend in Enum.GetValues<SmoothingTrend>().Where(t => ExponentialSmoothing.Candidate(t, log)))
                {
                    var form = new SmoothingForm(trend, season, log);
                    var k = form.Parameters + form.States + 1;
                    var fit = ExponentialSmoothing.Fit(y, form);
                    var aicc = (n * Math.Log(fit.Sse / n)) + (2 * k) + (2.0 * k * (k + 1) / (n - k - 1)) + (log ? 2 * logSum : 0);
                    Assert.True(chosen.AicC <= aicc + 1e-9, $"{form}: AICc {aicc} below the chosen {chosen.Form}'s {chosen.AicC}");
                }
            }
        }
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1e-3)]
    public void A_series_c_times_as_large_is_forecast_c_times_as_high(double c)
    {
        var y = Multiplicative(84, noise: 0.03, seed: 5).Select((v, t) => v - 60 + (t % 5)).ToArray();
        var small = ExponentialSmoothing.Select(y, 12);
        var large = ExponentialSmoothing.Select([.. y.Select(v => v * c)], 12);
        Assert.Equal(small.Form, large.Form);
        Assert.All(small.Forecast(12).Zip(large.Forecast(12)), p => Assert.True(Math.Abs((p.First * c) - p.Second) <= 1e-9 * Math.Abs(p.Second), $"{p.First} × {c} against {p.Second}"));
    }

    [Fact]
    public void Forecasts_from_the_end_of_the_fitted_series_are_its_forecast_and_later_origins_follow_the_values()
    {
        var y = Multiplicative(84, noise: 0.03);
        var fit = ExponentialSmoothing.Select(y[..60], 12);
        var fromEnd = fit.ForecastsFrom(y[..60], [60], 6)[0];
        Assert.All(fit.Forecast(6).Zip(fromEnd), p => Assert.Equal(p.First, p.Second, 9));

        // Fed the values after its fit, the same model forecasts from later origins: nearer each origin's own next values.
        var later = fit.ForecastsFrom(y, [60, 72], 6);
        Assert.Equal(fromEnd, later[0]);
        var errorAt72 = Enumerable.Range(0, 6).Average(h => Math.Abs(later[1][h] - y[72 + h]));
        var staleError = Enumerable.Range(0, 6).Average(h => Math.Abs(fit.Forecast(18)[12 + h] - y[72 + h]));
        Assert.True(errorAt72 <= staleError * 1.5, $"from 72: {errorAt72}, the forecast from 60: {staleError}");
    }

    [Fact]
    public void The_combination_weighs_the_two_forecasts_and_keeps_the_floor()
    {
        var combination = new SmoothingCombination(0.25, 0, 100);
        var level = new SmoothingForm(SmoothingTrend.None, 0, false);
        Assert.Null(combination.Problem());
        Assert.Equal([0.75 * 4 + 0.25 * 8, 0], combination.Combine([4, -3], [8, -1], level, floor: 0));
        Assert.NotNull(new SmoothingCombination(1.5, 0, 100).Problem());
        Assert.NotNull(new SmoothingCombination(0.5, 12, 100) { UnseasonedWeight = -0.1 }.Problem());
        Assert.Equal("it has a weight without a season but no season to model", new SmoothingCombination(0.5, 0, 100) { UnseasonedWeight = 0.5 }.Problem());
    }

    /// <summary>
    /// Where the combination may model a season but AICc chose a form without one, the values show no season smoothing can
    /// use: the share is the one for a series without a season (on the corpus, mean MASE 1.580 → see docs/series.md).
    /// </summary>
    [Fact]
    public void The_share_follows_whether_the_form_chosen_has_a_season()
    {
        var combination = new SmoothingCombination(0.85, 12, 100) { UnseasonedWeight = 0.5 };
        var seasonal = new SmoothingForm(SmoothingTrend.Damped, 12, false);
        var level = new SmoothingForm(SmoothingTrend.None, 0, true);
        Assert.Equal(0.85, combination.WeightFor(seasonal));
        Assert.Equal(0.5, combination.WeightFor(level));
        Assert.Equal([(0.15 * 10) + (0.85 * 20)], combination.Combine([10], [20], seasonal, null));
        Assert.Equal([15.0], combination.Combine([10], [20], level, null));
        Assert.Equal(0.85, (combination with { UnseasonedWeight = null }).WeightFor(level)); // none given: the weight always

        // Carried by the exported model's metadata, and absent where there is none.
        var interval = new ForecastInterval(0.8, [-1.0], [1.0]) { Smoothing = combination };
        var info = new OnnxModelInfo(3, 1, "gru", 16, 1, 1, "{}") { Forecast = interval };
        Assert.Equal("0.5", info.ToMetadata()[OnnxModelInfo.SmoothingUnseasonedWeightKey]);
        Assert.False(new OnnxModelInfo(3, 1, "gru", 16, 1, 1, "{}") { Forecast = interval with { Smoothing = combination with { UnseasonedWeight = null } } }
            .ToMetadata().ContainsKey(OnnxModelInfo.SmoothingUnseasonedWeightKey));
        Assert.NotNull(new SmoothingCombination(0.5, 52, 100).Problem());
        Assert.NotNull(new SmoothingCombination(0.5, 0, 5).Problem());
    }

    [Fact]
    public void The_combinations_fit_sees_the_last_history_values_as_float32_holds_them()
    {
        var y = Multiplicative(150, noise: 0.02).Select(v => v + 1e-9).ToArray();   // not float32 values
        var combination = new SmoothingCombination(0.5, 12, 100);
        var fit = combination.Fit(y);
        var expected = ExponentialSmoothing.Select([.. y[^100..].Select(v => (double)(float)v)], 12);
        Assert.Equal(expected.Forecast(12), fit.Forecast(12));
    }
}

public sealed class WildValueTamingTests
{
    private static double[] Seasonal(int n) => [.. Enumerable.Range(0, n).Select(t => 100 + (0.5 * t) + (10 * Math.Sin(2 * Math.PI * t / 12)) + (t % 3))];

    [Fact]
    public void A_wild_value_is_replaced_by_the_mean_of_its_neighbours_and_the_rest_kept()
    {
        var y = Seasonal(120);
        var wild = (double[])y.Clone();
        wild[60] = 1e6;
        wild[90] = -1e6;
        var tamed = SmoothingCombination.Tamed(wild, 12);

        Assert.Equal(y.Where((_, i) => i is not (60 or 90)), tamed.Where((_, i) => i is not (60 or 90)));
        Assert.Equal((y[59] + y[61]) / 2, tamed[60]);
        Assert.Equal((y[89] + y[91]) / 2, tamed[90]);
        Assert.Equal(y, SmoothingCombination.Tamed(y, 12));

        // The season is what the fit then recovers, as from the clean series.
        Assert.Equal(ExponentialSmoothing.Select(SmoothingCombination.Tamed(y, 12), 12).Form, new SmoothingCombination(0.5, 12, 1000).Fit(wild).Form);
    }

    public static TheoryData<string, double[]> NotWild => new()
    {
        // A peak every December, ten times the level: it recurs a season apart.
        { "recurring peaks", [.. Enumerable.Range(0, 60).Select(t => t % 12 == 11 ? 1000.0 : 100 + (t % 2))] },
        // A shift in the last two values: the end of a series is never wild.
        { "a shift at the end", [.. Enumerable.Range(0, 58).Select(t => 100.0 + (t % 2)), 200, 201] },
        { "a shift inside", [.. Enumerable.Range(0, 40).Select(t => t < 20 ? 10.0 + (t % 2) : 1e5 + (t % 2))] },
        // Growth by 15% a step, and by 3 times: every value above the one before and below the one after.
        { "exponential growth", [.. Enumerable.Range(0, 60).Select(t => 100 * Math.Pow(1.15, t))] },
        { "tripling", [.. Enumerable.Range(0, 20).Select(t => Math.Pow(3, t))] },
        // Mostly no change: no typical change to judge a spike by.
        { "intermittent", [.. Enumerable.Range(0, 40).Select(t => t % 13 == 0 ? 500.0 : 0)] },
    };

    [Theory]
    [MemberData(nameof(NotWild))]
    public void Recurring_peaks_shifts_growth_and_intermittent_series_are_not_wild(string what, double[] y)
    {
        Assert.True(y.SequenceEqual(SmoothingCombination.Tamed(y, 12)), what);
    }

    [Fact]
    public void A_heavy_tailed_series_with_many_spikes_is_left_as_it_is()
    {
        var random = new Random(3);
        var y = Enumerable.Range(0, 1000).Select(t => t % 2 == 0 ? 0 : Math.Exp(random.NextDouble() * Math.Log(1e8))).ToArray();
        Assert.Equal(y, SmoothingCombination.Tamed(y));
    }
}
