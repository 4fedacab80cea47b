using SimpleRnnTorch.Forecasting;

namespace SimpleRnnTorch.Tests.Forecasting;

public sealed class DampedHoltWintersForecasterTests
{
    [Fact]
    public void A_repeating_pattern_on_a_line_is_continued()
    {
        double[] pattern = [3, -1, -4, 2];
        var y = Enumerable.Range(0, 48).Select(t => 100 + 0.5 * t + pattern[t % 4]).ToArray();
        var forecaster = new DampedHoltWintersForecaster(4);
        var fit = forecaster.Fit(y);
        var forecast = fit.Forecast(8);

        Assert.True(forecaster.UsesSeason(y.Length));
        // φ ≤ 0.995 keeps a damped trend from following a line exactly, so the SSE is small, not 0.
        Assert.True(fit.Sse < 1e-2, $"SSE {fit.Sse} on a noiseless series");
        for (var h = 1; h <= 8; h++)
        {
            var t = y.Length - 1 + h;
            // The damped trend falls short of the line by at most 0.5·Σ(1 − φ^i) ≤ 0.5·8·0.2 over 8 steps.
            Assert.InRange(forecast[h - 1] - (100 + 0.5 * t + pattern[t % 4]), -0.8, 1e-6);
        }
    }

    [Fact]
    public void A_constant_series_gives_finite_constant_forecasts()
    {
        var forecast = new DampedHoltWintersForecaster(12).Forecast(Enumerable.Repeat(5.0, 40).ToArray(), 24);
        Assert.All(forecast, v => Assert.Equal(5, v, 6));
    }

    [Fact]
    public void Too_few_cycles_fall_back_to_damped_holt_without_a_season()
    {
        var forecaster = new DampedHoltWintersForecaster(12);
        var y = Enumerable.Range(0, 23).Select(t => 2.0 * t + (t % 3)).ToArray();     // 23 < 2·12
        Assert.False(forecaster.UsesSeason(y.Length));
        var fit = forecaster.Fit(y);
        Assert.Equal(0, fit.Season);
        Assert.Empty(fit.LastSeason);
        Assert.All(fit.Forecast(5), v => Assert.True(double.IsFinite(v) && v > y[^1] - 5));
        Assert.InRange(fit.Alpha, 0, 1);
        Assert.InRange(fit.Beta, 0, fit.Alpha);
        Assert.InRange(fit.Phi, 0.8, 0.995);
    }
}
