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

        double seasonal = 0, naive = 0;
        for (var i = season; i < values.Length; i++)
        {
            seasonal += Math.Abs(values[i] - values[i - season]);
        }

        for (var i = 1; i < values.Length; i++)
        {
            naive += Math.Abs(values[i] - values[i - 1]);
        }

        return seasonal / (values.Length - season) < naive / (values.Length - 1);
    }
}
