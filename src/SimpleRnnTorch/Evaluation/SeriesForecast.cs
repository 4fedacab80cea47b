using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Evaluation;

/// <summary>What a series run found after training: one-step predictions, the baselines, the forecast.</summary>
/// <param name="OneStep">The model's prediction of every validation target from the T values before it, in original units.</param>
/// <param name="Forecast">The next values after the series ends, each predicted from the T values before it, predictions included.</param>
/// <param name="ForecastLabels">The time label of each forecast value, written as the time column writes them ("2009", "2011-01", "1960Q1"; "2010-12 +1" or "value 310" without a step).</param>
internal sealed record SeriesOutcome(Series Series, SeriesWindows Windows, double[] OneStep, SeriesComparison Comparison, double[] Forecast, string[] ForecastLabels) : DataOutcome;

/// <summary>The model's forecasts of a series, console-free.</summary>
internal static class SeriesForecast
{
    /// <summary>One-step predictions for already scaled (N, T, 1) windows, back in original units (float64).</summary>
    public static double[] OneStep(SequenceRegressor model, SequenceScaler scaler, Tensor scaledInputs)
    {
        if (scaledInputs.shape[0] == 0)
        {
            return [];
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var output = scaler.Inverse(model.call(scaledInputs).to(ScalarType.Float64)).to(CPU);
        return output.data<double>().ToArray();
    }

    /// <summary>
    /// The recursive forecast: the last T values predict the next one, which joins the window in place of
    /// the oldest value, and so on <paramref name="horizon"/> times. Errors compound: each step stands on
    /// predictions, not observations.
    /// </summary>
    public static double[] Recursive(SequenceRegressor model, SequenceScaler scaler, ReadOnlySpan<float> series, int timeSteps, int horizon, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(series.Length, timeSteps);
        var window = new List<double>(timeSteps + horizon);
        foreach (var v in series[^timeSteps..])
        {
            window.Add(v);
        }

        var forecast = new double[horizon];
        for (var k = 0; k < horizon; k++)
        {
            forecast[k] = Predictor.Predict(model, scaler, [window.GetRange(k, timeSteps).ToArray()], device)[0];
            window.Add(forecast[k]);
        }

        return forecast;
    }

    /// <summary>Everything after training, for a run whose model ended as planned; <paramref name="season"/> is the effective one, <see cref="SeriesWindows.Season"/>.</summary>
    public static SeriesOutcome Evaluate(SequenceRegressor model, SequenceScaler scaler, Series series, SeriesWindows windows, Tensor scaledValidationInputs,
        int? season, int horizon, string modelName, Device device)
    {
        var oneStep = OneStep(model, scaler, scaledValidationInputs);
        var comparison = SeriesComparison.Compute(series.Values, windows.TrainingValues, oneStep, season, modelName);
        var forecast = Recursive(model, scaler, series.Values, windows.TimeSteps, horizon, device);
        var labels = Enumerable.Range(1, horizon).Select(series.Beyond).ToArray();
        return new SeriesOutcome(series, windows, oneStep, comparison, forecast, labels);
    }
}
