using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// The trained network as a forecaster: the last T values predict the next, which joins the window in
/// place of the oldest, and so on H times (the recursive forecast: each step stands on predictions, not
/// observations). Trained once: it is not refitted on the history it is given, only fed it, so in a backtest
/// its origins must lie after the values it was trained on.
/// </summary>
internal sealed class NetworkForecaster(SequenceRegressor model, SequenceScaler scaler, int timeSteps, Device device, string name) : IForecaster
{
    public string Name => name;

    public int MinimumHistory => timeSteps;

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        ForecasterChecks.Validate(this, history, horizon);
        return ForecastFrom([history[^timeSteps..].ToArray()], horizon)[0];
    }

    /// <summary>The recursive forecast from many windows of T values at once: one forward pass per step for all of them.</summary>
    public double[][] ForecastFrom(IReadOnlyList<double[]> windows, int horizon)
    {
        var count = windows.Count;
        var forecasts = new double[count][];
        var current = windows.Select(w => w.ToArray()).ToArray();
        for (var i = 0; i < count; i++)
        {
            forecasts[i] = new double[horizon];
        }

        var flat = new float[count * timeSteps];
        var next = new double[count];
        for (var h = 0; h < horizon; h++)
        {
            for (var i = 0; i < count; i++)
            {
                for (var t = 0; t < timeSteps; t++)
                {
                    flat[(i * timeSteps) + t] = (float)current[i][t];
                }
            }

            Predictor.Predict(model, scaler, flat, count, timeSteps, device, next);
            for (var i = 0; i < count; i++)
            {
                forecasts[i][h] = next[i];
                Array.Copy(current[i], 1, current[i], 0, timeSteps - 1);
                current[i][^1] = next[i];
            }
        }

        return forecasts;
    }
}
