using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
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

    /// <summary>The recursive forecast from many windows of T values at once (<see cref="RecursiveForecast"/>): one forward pass per step for all of them.</summary>
    public double[][] ForecastFrom(IReadOnlyList<double[]> windows, int horizon, CancellationToken cancellation = default) =>
        RecursiveForecast.Run(windows, timeSteps, horizon, (flat, count, next) => Predictor.Predict(model, scaler, flat, count, timeSteps, device, next), scaler.WindowProblem, cancellation);
}
