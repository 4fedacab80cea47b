using SimpleRnnTorch.Forecasting;

namespace SimpleRnnTorch.Tests.Forecasting;

public sealed class AutoRegressiveForecasterTests
{
    [Fact]
    public void An_exact_ar1_is_recovered_and_continued()
    {
        // y[t] = 2 + 0.5·y[t−1] + a small deterministic wobble that AR(1) cannot explain but AR(2+) cannot use much.
        var y = new double[200];
        y[0] = 10;
        var random = new Random(3);
        for (var t = 1; t < y.Length; t++)
        {
            y[t] = 2 + 0.5 * y[t - 1] + (random.NextDouble() - 0.5) * 0.2;
        }

        var fit = new AutoRegressiveForecaster(5).Fit(y);
        Assert.Equal(1, fit.Order);
        Assert.Equal(0.5, fit.Coefficients[0], 1);
        Assert.Equal(2, fit.Intercept, 1);
        var forecast = fit.Forecast(y, 3);
        Assert.Equal(fit.Intercept + fit.Coefficients[0] * y[^1], forecast[0], 12);
        Assert.Equal(fit.Intercept + fit.Coefficients[0] * forecast[0], forecast[1], 12);
    }

    [Fact]
    public void The_max_lag_is_capped_on_a_short_history_and_a_constant_one_gives_no_nan()
    {
        var fit = new AutoRegressiveForecaster(10).Fit([1, 2, 4, 3, 5, 4]);
        Assert.Equal(3, fit.Aic.Length);          // max lag ⌊(6 − 2) / 2⌋ = 2: orders 0..2
        Assert.All(new AutoRegressiveForecaster(3).Forecast([7, 7, 7, 7, 7, 7, 7, 7, 7, 7], 4), v => Assert.Equal(7, v, 9));
        Assert.Equal([2.5, 2.5], new AutoRegressiveForecaster(0).Forecast([2, 3], 2));
    }
}
