namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// The drift method (Hyndman and Athanasopoulos, fpp3 §5.2): the line through the first and last values,
/// extended: ŷ[n+h] = y[n] + h · (y[n] − y[1]) / (n − 1). It needs two values.
/// </summary>
internal sealed class DriftForecaster : IForecaster
{
    public string Name => "drift";

    public int MinimumHistory => 2;

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        ForecasterChecks.Validate(this, history, horizon);
        var last = history[^1];
        var slope = (last - history[0]) / (history.Length - 1);
        var forecast = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            forecast[h] = last + (h + 1) * slope;
        }

        return forecast;
    }
}
