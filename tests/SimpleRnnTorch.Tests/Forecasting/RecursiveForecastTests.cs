using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Tests.Forecasting;

/// <summary>The one recursive loop: each prediction joins the window, the predictor runs once a step for all series, its problems are one line.</summary>
public sealed class RecursiveForecastTests
{
    /// <summary>A stand-in model: the last value plus the last step's change.</summary>
    private static void Extrapolate(ReadOnlySpan<float> windows, int count, Span<double> next)
    {
        var window = windows.Length / count;
        for (var i = 0; i < count; i++)
        {
            var w = windows.Slice(i * window, window);
            next[i] = w[^1] + (w[^1] - w[^2]);
        }
    }

    [Fact]
    public void Each_prediction_is_fed_back_and_every_series_steps_together()
    {
        var calls = 0;
        var forecasts = RecursiveForecast.Run([[0, 1, 2, 3], [10, 20, 40]], window: 3, horizon: 4, (w, c, n) =>
        {
            calls++;
            Assert.Equal(2, c);
            Extrapolate(w, c, n);
        });

        Assert.Equal([4.0, 5, 6, 7], forecasts[0]);
        Assert.Equal([60.0, 80, 100, 120], forecasts[1]);
        Assert.Equal(4, calls);
    }

    [Fact]
    public void A_cancellation_stops_the_forecast_at_the_next_step()
    {
        // A signal during a long horizon over many windows: the step running ends, and no further one starts.
        using var cancel = new CancellationTokenSource();
        var steps = 0;
        void CountAndCancel(ReadOnlySpan<float> windows, int count, Span<double> next)
        {
            Extrapolate(windows, count, next);
            if (++steps == 3)
            {
                cancel.Cancel();
            }
        }

        Assert.Throws<OperationCanceledException>(() => RecursiveForecast.Run([[1.0, 2.0, 3.0]], 2, 1000, CountAndCancel, cancellation: cancel.Token));
        Assert.Equal(3, steps);
    }

    [Fact]
    public void A_window_the_model_cannot_take_stops_the_forecast_with_its_step()
    {
        // Falling by 2 from 3: the window after step 2 ends at -1.
        var e = Assert.Throws<ForecastException>(() => RecursiveForecast.Run([[5, 3]], 2, 5, Extrapolate, w => w[^1] > 0 ? null : "its last value is not positive"));
        Assert.Equal("the forecast cannot go on after step 2: its last value is not positive", e.Message);
        e = Assert.Throws<ForecastException>(() => RecursiveForecast.Run([[5, 0]], 2, 5, Extrapolate, w => w[^1] > 0 ? null : "its last value is not positive"));
        Assert.StartsWith("the series cannot be continued", e.Message);
    }

    [Fact]
    public void A_prediction_that_is_not_finite_or_beyond_float32_is_refused()
    {
        Assert.Throws<ForecastException>(() => RecursiveForecast.Run([[1, 2]], 2, 3, (w, c, n) => n[0] = double.NaN));
        var e = Assert.Throws<ForecastException>(() => RecursiveForecast.Run([[1, 2]], 2, 3, (w, c, n) => n[0] = 1e39));
        Assert.Contains("step 1", e.Message);
    }
}
