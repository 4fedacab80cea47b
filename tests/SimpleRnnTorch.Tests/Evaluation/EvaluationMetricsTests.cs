using SimpleRnnTorch.Evaluation;

namespace SimpleRnnTorch.Tests.Evaluation;

public sealed class EvaluationMetricsTests
{
    private static readonly double[][] Inputs = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]];

    [Fact]
    public void Matches_a_hand_computed_case()
    {
        // Errors 0.4, 1, 1, 0: MSE (0.16 + 1 + 1 + 0) / 4, MAE 2.4 / 4.
        var metrics = EvaluationMetrics.Compute(Inputs, [10, 20, 30, 40], [10.4, 21, 29, 40]);

        Assert.Equal(4, metrics.Count);
        Assert.Equal(0.54, metrics.Mse, 12);
        Assert.Equal(0.6, metrics.Mae, 12);
        Assert.Equal(1.0, metrics.WorstAbsError, 12);
        // Two errors of 1.0 tie: the first one (index 1) is reported.
        Assert.Equal([4.0, 5.0, 6.0], metrics.WorstInput);
        Assert.Equal(20, metrics.WorstTarget);
        Assert.Equal(21, metrics.WorstPrediction);
        Assert.Equal(0.5, metrics.WithinHalf);
        Assert.Equal(1.0, metrics.WithinOne);
    }

    [Fact]
    public void The_worst_input_is_a_copy()
    {
        var inputs = new[] { new double[] { 1, 2 } };
        var metrics = EvaluationMetrics.Compute(inputs, [3], [4]);
        inputs[0][0] = 99;
        Assert.Equal([1.0, 2.0], metrics.WorstInput);
    }

    [Fact]
    public void A_nan_prediction_is_the_worst_case_and_poisons_the_averages()
    {
        var metrics = EvaluationMetrics.Compute(Inputs, [10, 20, 30, 40], [10, double.NaN, 35, 40]);

        Assert.True(double.IsNaN(metrics.WorstAbsError));
        Assert.Equal(20, metrics.WorstTarget);
        Assert.True(double.IsNaN(metrics.Mse));
        Assert.True(double.IsNaN(metrics.Mae));
        Assert.Equal(0.5, metrics.WithinHalf);
    }

    [Theory]
    [InlineData(4, 3, 4)]
    [InlineData(4, 4, 3)]
    [InlineData(3, 4, 4)]
    public void Different_lengths_throw(int inputs, int targets, int predictions)
    {
        Assert.Throws<ArgumentException>(() => EvaluationMetrics.Compute(
            Inputs.Take(inputs).ToArray(),
            Enumerable.Repeat(1.0, targets).ToArray(),
            Enumerable.Repeat(1.0, predictions).ToArray()));
    }

    [Fact]
    public void An_empty_set_throws()
    {
        Assert.Throws<ArgumentException>(() => EvaluationMetrics.Compute([], [], []));
    }
}
