namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// MASE (Hyndman and Koehler, 2006) with the non-seasonal scale: the forecast's MAE over the in-sample
/// one-step naive MAE, mean |y[t] − y[t−1]| over the history the forecaster was fitted on. The same scale
/// for every forecaster and season length, so MASEs of one series compare across methods; below 1 is better
/// than the naive forecast was, one step ahead, in sample.
/// </summary>
internal static class ForecastMetrics
{
    /// <summary>mean |y[t] − y[t−1]| over <paramref name="history"/>; 0 for a constant history.</summary>
    public static double InSampleNaiveMae(ReadOnlySpan<double> history)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(history.Length, 2, nameof(history) + ".Length");
        double sum = 0;
        for (var t = 1; t < history.Length; t++)
        {
            sum += Math.Abs(history[t] - history[t - 1]);
        }

        return sum / (history.Length - 1);
    }

    public static double Mae(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckLengths(actual, forecast);
        double sum = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += Math.Abs(actual[i] - forecast[i]);
        }

        return sum / actual.Length;
    }

    /// <summary>MAE over <paramref name="scale"/>; NaN when the scale is 0 (a constant history), as <c>SeriesComparison</c> does.</summary>
    public static double Mase(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, double scale) =>
        scale > 0 ? Mae(actual, forecast) / scale : double.NaN;

    private static void CheckLengths(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        if (actual.Length == 0 || actual.Length != forecast.Length)
        {
            throw new ArgumentException($"{actual.Length} actual values against {forecast.Length} forecasts; need the same number, at least 1");
        }
    }
}
