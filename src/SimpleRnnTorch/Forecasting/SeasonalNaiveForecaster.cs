namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// The seasonal naive forecast: ŷ[n+h] = y[n+h−m(k+1)], k = ⌊(h−1)/m⌋, the value of the same season in the
/// last observed cycle. It needs one full cycle: a history shorter than m is refused.
/// </summary>
internal sealed class SeasonalNaiveForecaster : IForecaster
{
    public SeasonalNaiveForecaster(int season)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(season, 1);
        Season = season;
    }

    public int Season { get; }

    public string Name => $"seasonal naive (m = {Season})";

    public int MinimumHistory => Season;

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        ForecasterChecks.Validate(this, history, horizon);
        var lastCycle = history[^Season..];
        var forecast = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            forecast[h] = lastCycle[h % Season];
        }

        return forecast;
    }
}
