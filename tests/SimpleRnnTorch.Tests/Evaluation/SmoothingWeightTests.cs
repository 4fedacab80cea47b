using SimpleRnnTorch.Evaluation;

namespace SimpleRnnTorch.Tests.Evaluation;

/// <summary>How a series run combines the network with exponential smoothing: the share the backtest chooses, and when there is none.</summary>
public sealed class SmoothingWeightTests
{
    // Ten values; origins 4 and 6 with three steps each (the last step of origin 6 reaches the end).
    private static readonly double[] Values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    private static readonly int[] Origins = [4, 6];
    private static readonly double[][] Truth = [[5, 6, 7], [7, 8, 9]];

    private static double[][] Shifted(double by) => [.. Truth.Select(f => f.Select(v => v + by).ToArray())];

    [Fact]
    public void The_share_whose_combination_erred_least_is_chosen()
    {
        Assert.Equal(1, SeriesForecast.ChosenWeight(Values, Origins, network: Shifted(4), smoothing: Truth));
        Assert.Equal(0, SeriesForecast.ChosenWeight(Values, Origins, network: Truth, smoothing: Shifted(-4)));

        // Errors of +2 and −2: the equal mean is exact; +2 and −6: a quarter of smoothing is.
        Assert.Equal(0.5, SeriesForecast.ChosenWeight(Values, Origins, Shifted(2), Shifted(-2)));
        Assert.Equal(0.25, SeriesForecast.ChosenWeight(Values, Origins, Shifted(2), Shifted(-6)));
    }

    [Fact]
    public void Equal_errors_at_every_share_keep_the_equal_mean()
    {
        Assert.Equal(0.5, SeriesForecast.ChosenWeight(Values, Origins, Shifted(3), Shifted(3)));
    }

    [Fact]
    public void Steps_past_the_end_of_the_series_do_not_count()
    {
        // Origin 8's third step would be value 10 (past the end): a forecast wildly off there must not sway the choice.
        double[][] network = [[9, 10, 1000]];
        double[][] smoothing = [[9.5, 10.5, 11]];
        Assert.Equal(0, SeriesForecast.ChosenWeight(Values, [8], network, smoothing));
    }

    [Theory]
    [InlineData(12, "season", 12, 0.85)]     // a season the smoothing models: 0.85 of the forecast
    [InlineData(null, "season", 0, 0.5)]     // none: half
    [InlineData(52, "season", 0, 0.25)]      // a season too long for it to model: a quarter, the network's window holds it
    [InlineData(52, "0.25", 0, 0.25)]
    [InlineData(4, "auto", 4, null)]         // chosen on the backtest
    [InlineData(12, "season", 0, 0.25, 20)]  // a training part of 20 cannot start a season of 12: unmodelled
    public void A_plan_takes_the_season_the_smoothing_can_model_and_the_share_for_it(int? season, string given, int expectedSeason, double? expectedWeight, int training = 100)
    {
        var share = given switch
        {
            "season" => SmoothingShare.BySeason,
            "auto" => SmoothingShare.Backtested,
            _ => new SmoothingShare.Fixed(double.Parse(given, System.Globalization.CultureInfo.InvariantCulture)),
        };
        var plan = SmoothingPlan.For(season, training, share);
        Assert.NotNull(plan);
        Assert.Equal((expectedSeason, expectedWeight), (plan.Season, plan.Weight));
    }

    [Fact]
    public void No_plan_for_a_share_of_zero_or_a_training_part_too_short_to_fit()
    {
        Assert.Null(SmoothingPlan.For(12, 500, new SmoothingShare.Fixed(0)));
        Assert.Null(SmoothingPlan.For(null, 9, SmoothingShare.BySeason));
        Assert.NotNull(SmoothingPlan.For(null, 10, SmoothingShare.BySeason));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmoothingShare.Fixed(1.5));
    }

    [Fact]
    public void The_run_says_why_the_share_is_what_it_is()
    {
        Assert.Contains("may model the season of 12", SmoothingShare.BySeason.Why(12, 12), StringComparison.Ordinal);
        Assert.Contains("season of 52 is one the smoothing cannot model", SmoothingShare.BySeason.Why(0, 52), StringComparison.Ordinal);
        // A season it could model but the values cannot start: the reason names the rule (two seasons and at least 10 + 2⌊m/2⌋ values).
        Assert.Contains("the training part holds fewer than the 14 values that start it", SmoothingShare.BySeason.Why(0, 4), StringComparison.Ordinal);
        Assert.Contains("the median series' training part (a series forecast without a backtest: its values) holds fewer than the 24 values", SmoothingShare.BySeason.Why(0, 12, PanelForecast.MedianPart), StringComparison.Ordinal);

        // A share too small for two decimals is not printed as none.
        Assert.Equal("0.15 × the network's and 0.85 × exponential smoothing's", global::SimpleRnnTorch.Cli.Views.SeriesView.Combination(new Inference.SmoothingCombination(0.85, 12, 1000)));
        Assert.Equal("0.99999 × the network's and 0.00001 × exponential smoothing's", global::SimpleRnnTorch.Cli.Views.SeriesView.Combination(new Inference.SmoothingCombination(1e-5, 0, 1000)));
        Assert.Equal("0.995 × the network's and 0.005 × exponential smoothing's", global::SimpleRnnTorch.Cli.Views.SeriesView.Combination(new Inference.SmoothingCombination(0.005, 0, 1000)));
        Assert.Equal("0.0000001 × the network's and 0.9999999 × exponential smoothing's", global::SimpleRnnTorch.Cli.Views.SeriesView.Combination(new Inference.SmoothingCombination(0.9999999, 0, 1000)));
        Assert.Equal(14, Inference.ExponentialSmoothing.ValuesToStart(4));
        Assert.True(Inference.ExponentialSmoothing.SeasonFits(4, 14) && !Inference.ExponentialSmoothing.SeasonFits(4, 13));
        Assert.Equal("the series has no season", SmoothingShare.BySeason.Why(0, null));
        Assert.Contains("chosen on the backtest", SmoothingShare.Backtested.Why(12, 12), StringComparison.Ordinal);
        Assert.Equal("as given", new SmoothingShare.Fixed(0.3).Why(0, null));
    }
}
