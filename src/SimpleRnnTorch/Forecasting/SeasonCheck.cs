namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// Whether a season is worth building a forecast on: on the values given (a training part), the value a season back
/// predicts the next one better than the last value does, i.e. the seasonal naive forecast's mean absolute error is
/// below the naive forecast's. A trend or a random walk, whose lag autocorrelations are all high, does not pass by
/// persistence alone (the M4 competition's autocorrelation test flags the daily stock indices as seasonal at lag 7,
/// and a seasonal scaling doubles their error; docs/series.md).
/// </summary>
internal static class SeasonCheck
{
    public static bool SeasonalNaiveBeatsNaive(ReadOnlySpan<float> values, int season)
    {
        if (season <= 1 || values.Length <= season)
        {
            return false;
        }

        return ClippedMeanError(values, season) < ClippedMeanError(values, 1);
    }

    /// <summary>
    /// The mean absolute error of the value <paramref name="lag"/> steps back as a forecast, each error clipped at
    /// <see cref="Scaling.SequenceScaler.MaxChangeSigmas"/> robust standard deviations of those errors
    /// (<see cref="Scaling.SequenceScaler.RobustSigma(List{double})"/>): one wild value (a typo of 1e6 among hundreds) adds the same two huge errors to both forecasts and
    /// would decide the comparison by itself. A regular series has no error that far out, and its mean is the plain one.
    /// </summary>
    private static double ClippedMeanError(ReadOnlySpan<float> values, int lag)
    {
        var errors = new double[values.Length - lag];
        for (var i = lag; i < values.Length; i++)
        {
            errors[i - lag] = Math.Abs((double)values[i] - values[i - lag]);
        }

        var bound = Scaling.SequenceScaler.MaxChangeSigmas * Scaling.SequenceScaler.RobustSigma([.. errors]);
        double sum = 0;
        foreach (var e in errors)
        {
            sum += Math.Min(e, bound);
        }

        return sum / errors.Length;
    }
}
