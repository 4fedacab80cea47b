namespace SimpleRnnTorch.Forecasting;

/// <summary>One forecaster at one origin: fitted on values[..Origin], forecasting values[Origin..(Origin + H)].</summary>
/// <param name="Errors">actual − forecast at each step h = 1..H (index h − 1): add it to the forecast to get the actual.</param>
/// <param name="Scale">The in-sample one-step naive MAE of values[..Origin].</param>
/// <param name="Mase">MAE over the H steps divided by <paramref name="Scale"/>; NaN when the scale is 0.</param>
internal sealed record OriginForecast(int Origin, double[] Forecast, double[] Actual, double[] Errors, double Scale, double Mase);

/// <summary>One forecaster across every origin, oldest origin first.</summary>
internal sealed record ForecasterBacktest(string Name, IReadOnlyList<OriginForecast> Origins)
{
    /// <summary>The mean of the per-origin MASEs (NaN if any is NaN).</summary>
    public double MeanMase => Origins.Average(o => o.Mase);

    /// <summary>The errors at step h (1-based), one per origin, oldest origin first.</summary>
    public double[] ErrorsAtStep(int h) => [.. Origins.Select(o => o.Errors[h - 1])];
}

/// <summary>What <see cref="Backtest.Run"/> returns: the origins it cut at, and every forecaster's forecasts and errors there.</summary>
internal sealed record BacktestResult(int Horizon, IReadOnlyList<int> Origins, IReadOnlyList<ForecasterBacktest> Forecasters);

/// <summary>
/// Rolling-origin evaluation (Tashman, 2000): the series is cut at k origins; at each one every forecaster is
/// given the values before it, fitted afresh through <see cref="IForecaster.Forecast"/>, and its H forecasts are
/// compared with the H values from the origin on. A forecaster that wants to keep or reuse a fit between origins
/// (a network trained once) decides that itself; this function only calls Forecast.
/// </summary>
internal static class Backtest
{
    public const int DefaultOrigins = 4;

    /// <summary>
    /// The origins, oldest first: the last leaves exactly <paramref name="horizon"/> values after it
    /// (length − H), each earlier one <paramref name="spacing"/> before the next (default: H, so the
    /// forecast windows tile the end of the series without overlapping).
    /// </summary>
    public static int[] Origins(int length, int horizon, int count = DefaultOrigins, int? spacing = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var step = spacing ?? horizon;
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1, nameof(spacing));
        var origins = new int[count];
        for (var k = 0; k < count; k++)
        {
            origins[k] = length - horizon - (count - 1 - k) * step;
        }

        if (origins[0] < 2)
        {
            throw new ArgumentException(
                $"{count} origins spaced {step} apart with horizon {horizon} need at least {2 + horizon + (count - 1) * step} values, the series has {length}");
        }

        return origins;
    }

    /// <summary>
    /// Runs every forecaster at <paramref name="origins"/> origins laid out by <see cref="Origins"/>.
    /// Each forecaster's <see cref="IForecaster.MinimumHistory"/> is checked against the first origin before
    /// anything is fitted; an exception from a forecaster is not caught.
    /// </summary>
    /// <exception cref="InsufficientHistoryException">A forecaster needs more values than the first origin leaves.</exception>
    /// <exception cref="InvalidOperationException">A forecaster returned the wrong number of values, or a non-finite one.</exception>
    public static BacktestResult Run(ReadOnlySpan<double> values, IReadOnlyList<IForecaster> forecasters, int origins = DefaultOrigins, int horizon = 1,
        int? spacing = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(forecasters);
        if (forecasters.Count == 0)
        {
            throw new ArgumentException("no forecasters", nameof(forecasters));
        }

        var cuts = Origins(values.Length, horizon, origins, spacing);
        foreach (var f in forecasters)
        {
            if (cuts[0] < f.MinimumHistory)
            {
                throw new InsufficientHistoryException(f.Name, f.MinimumHistory, cuts[0]);
            }
        }

        var scales = new double[cuts.Length];
        for (var k = 0; k < cuts.Length; k++)
        {
            scales[k] = ForecastMetrics.InSampleNaiveMae(values[..cuts[k]]);
        }

        var results = new List<ForecasterBacktest>(forecasters.Count);
        foreach (var f in forecasters)
        {
            var perOrigin = new OriginForecast[cuts.Length];
            for (var k = 0; k < cuts.Length; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var origin = cuts[k];
                var forecast = f.Forecast(values[..origin], horizon);
                if (forecast.Length != horizon || !forecast.All(double.IsFinite))
                {
                    throw new InvalidOperationException(
                        $"{f.Name} at origin {origin} returned {forecast.Length} values (expected {horizon}){(forecast.All(double.IsFinite) ? "" : ", not all finite")}");
                }

                var actual = values.Slice(origin, horizon).ToArray();
                var errors = new double[horizon];
                for (var h = 0; h < horizon; h++)
                {
                    errors[h] = actual[h] - forecast[h];
                }

                perOrigin[k] = new OriginForecast(origin, forecast, actual, errors, scales[k], ForecastMetrics.Mase(actual, forecast, scales[k]));
            }

            results.Add(new ForecasterBacktest(f.Name, perOrigin));
        }

        return new BacktestResult(horizon, cuts, results);
    }
}
