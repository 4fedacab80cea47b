namespace SimpleRnnTorch.Forecasting;

/// <summary>The naive forecast: every future value is the last observed one.</summary>
internal sealed class NaiveForecaster : IForecaster
{
    public string Name => "naive";

    public int MinimumHistory => 1;

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        ForecasterChecks.Validate(this, history, horizon);
        var forecast = new double[horizon];
        Array.Fill(forecast, history[^1]);
        return forecast;
    }
}
