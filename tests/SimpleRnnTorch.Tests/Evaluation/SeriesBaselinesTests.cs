using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Evaluation;

namespace SimpleRnnTorch.Tests.Evaluation;

/// <summary>
/// The baselines on a series small enough to check by hand: [1, 3, 2, 4, 3, 5 | 10, 6], the training part
/// first, the validation targets 10 and 6.
/// In-sample naive MAE: (2 + 1 + 2 + 1 + 2) / 5 = 1.6.
/// Naive predicts 5 and 10: errors 5 and 4, MAE 4.5, RMSE √20.5, MASE 2.8125.
/// Seasonal naive, m = 2, predicts y[4] = 3 and y[5] = 5: errors 7 and 1, MAE 4, RMSE 5, MASE 2.5.
/// A model predicting 9 and 6.5: errors 1 and 0.5, MAE 0.75, RMSE √0.625, MASE 0.46875.
/// </summary>
public sealed class SeriesBaselinesTests
{
    private static readonly float[] Values = [1, 3, 2, 4, 3, 5, 10, 6];

    [Fact]
    public void Naive_seasonal_naive_and_the_model_by_hand()
    {
        var c = SeriesComparison.Compute(Values, validationStart: 6, [9, 6.5], season: 2);

        Assert.Equal(1.6, c.InSampleNaiveMae, 12);
        Assert.Equal((4.5, Math.Sqrt(20.5), 2.8125), (c.Naive.Mae, c.Naive.Rmse, c.Naive.Mase), Close);
        Assert.Equal((4.0, 5.0, 2.5), (c.Seasonal!.Mae, c.Seasonal.Rmse, c.Seasonal.Mase), Close);
        Assert.Equal((0.75, Math.Sqrt(0.625), 0.46875), (c.Model.Mae, c.Model.Rmse, c.Model.Mase), Close);
        Assert.Equal(Verdict.Beats, c.Against(c.Naive));
        Assert.Equal(Verdict.Beats, c.Against(c.Seasonal));
    }

    [Fact]
    public void A_model_worse_than_a_baseline_is_told_so()
    {
        var worse = SeriesComparison.Compute(Values, 6, [0, 0], season: 2);     // errors 10 and 6
        Assert.Equal((8.0, Math.Sqrt(68)), (worse.Model.Mae, worse.Model.Rmse), Close2);
        Assert.Equal(Verdict.DoesNotBeat, worse.Against(worse.Naive));
        Assert.StartsWith("The model does NOT beat the naive forecast: MAE 8 against 4.5 (77.8% higher)", SeriesView.Sentence(worse, worse.Naive, "the naive forecast"));

        var mixed = SeriesComparison.Compute(Values, 6, [10, 14.9], season: null); // errors 0 and 8.9: lower MAE, higher RMSE
        Assert.Equal(Verdict.Mixed, mixed.Against(mixed.Naive));
        Assert.Null(mixed.Seasonal);
        Assert.Contains("on one measure only", SeriesView.Sentence(mixed, mixed.Naive, "the naive forecast"));
    }

    [Fact]
    public void A_constant_training_part_has_no_mase_and_the_season_must_fit()
    {
        var flat = SeriesComparison.Compute([2, 2, 2, 2, 3, 4], 4, [2, 2], season: 4);
        Assert.True(double.IsNaN(flat.Model.Mase));
        Assert.Equal(0, flat.InSampleNaiveMae);
        Assert.Throws<ArgumentOutOfRangeException>(() => SeriesComparison.Compute(Values, 6, [9, 6.5], season: 7));
        Assert.Throws<ArgumentException>(() => SeriesComparison.Compute(Values, 6, [9], season: null));
    }

    private static bool Close((double, double, double) a, (double, double, double) b) =>
        Math.Abs(a.Item1 - b.Item1) < 1e-12 && Math.Abs(a.Item2 - b.Item2) < 1e-12 && Math.Abs(a.Item3 - b.Item3) < 1e-12;

    private static bool Close2((double, double) a, (double, double) b) => Math.Abs(a.Item1 - b.Item1) < 1e-12 && Math.Abs(a.Item2 - b.Item2) < 1e-12;
}
