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

    [Theory]
    [InlineData(500, 37, 1)]
    [InlineData(2000, 33, 2)]
    [InlineData(60, 12, 3)]
    public void Every_orders_aic_from_one_qr_is_what_fitting_each_order_alone_gives(int length, int maxLag, int seed)
    {
        // A seasonal AR with a trend: orders up to the max lag all fit something, none perfectly.
        var random = new Random(seed);
        var y = new double[length];
        for (var t = 0; t < length; t++)
        {
            y[t] = 100 + (0.05 * t) + (10 * Math.Sin(2 * Math.PI * t / 7)) + (t > 2 ? (0.5 * y[t - 1]) - (0.2 * y[t - 3]) : 0) + random.NextDouble();
        }

        var fit = new AutoRegressiveForecaster(maxLag).Fit(y);
        var reference = AicOneByOne(y, Math.Min(maxLag, (length - 2) / 2));

        Assert.Equal(reference.Length, fit.Aic.Length);
        for (var p = 0; p < reference.Length; p++)
        {
            Assert.Equal(reference[p], fit.Aic[p], 6);
        }

        Assert.Equal(Array.IndexOf(reference, reference.Min()), fit.Order);
    }

    [Fact]
    public void A_constant_stretch_falls_back_to_each_orders_own_fit_and_still_chooses()
    {
        // 40 equal values then noise: the lagged columns of the first rows are equal, but the design as a whole is not
        // rank-deficient; a series constant throughout is, and every order then fits alone (the mean, no NaN).
        var random = new Random(5);
        var y = Enumerable.Repeat(3.0, 40).Concat(Enumerable.Range(0, 60).Select(_ => 3 + random.NextDouble())).ToArray();
        var fit = new AutoRegressiveForecaster(8).Fit(y);
        var reference = AicOneByOne(y, 8);
        for (var p = 0; p < reference.Length; p++)
        {
            Assert.Equal(reference[p], fit.Aic[p], 6);
        }

        Assert.All(AutoRegressiveForecaster.SumsOfSquares(Enumerable.Repeat(2.0, 30).ToArray(), 4).Skip(1), sse => Assert.Null(sse));
    }

    /// <summary>Each order fitted on its own (least squares by QR on rows max lag..n−1), the SSE from its residuals.</summary>
    private static double[] AicOneByOne(double[] y, int maxLag)
    {
        var rows = y.Length - maxLag;
        var aic = new double[maxLag + 1];
        for (var p = 0; p <= maxLag; p++)
        {
            var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows, p + 1, (r, c) => c == 0 ? 1 : y[maxLag + r - c]);
            var target = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(rows, r => y[maxLag + r]);
            var residual = target - (x * x.QR().Solve(target));
            aic[p] = (rows * Math.Log(residual.DotProduct(residual) / rows)) + (2 * (p + 1));
        }

        return aic;
    }
}
