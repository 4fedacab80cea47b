namespace SimpleRnnTorch.Inference;

/// <summary>
/// One step of a model: <paramref name="count"/> windows of the same length end to end in
/// <paramref name="windows"/>, the next value after each into <paramref name="next"/>.
/// </summary>
public delegate void OneStepPredictor(ReadOnlySpan<float> windows, int count, Span<double> next);

/// <summary>
/// The recursive forecast, the one loop every forecast of a network goes through (ONNX Runtime in
/// <see cref="SequenceModel.Forecast"/>, libtorch in the training run's backtest): the last T values predict the
/// next, which joins the window in place of the oldest, and so on H times; each step stands on predictions, not
/// observations. Many series go through together, one call of the predictor a step for all of them.
/// </summary>
public static class RecursiveForecast
{
    /// <summary>
    /// The next <paramref name="horizon"/> values after each of <paramref name="histories"/>, from the last
    /// <paramref name="window"/> values of each. Values are fed to the predictor as float32, the model's type.
    /// </summary>
    /// <param name="windowProblem">Why a window cannot be fed to the model (a ratio scaling's non-positive last value), or null; checked before each step.</param>
    /// <param name="cancellation">Checked before each step: a long horizon over many windows stops within one step.</param>
    /// <exception cref="ForecastException">a window the model cannot take, or a prediction that is not finite: one line.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public static double[][] Run(IReadOnlyList<double[]> histories, int window, int horizon, OneStepPredictor predict, Func<ReadOnlySpan<float>, string?>? windowProblem = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(predict);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var count = histories.Count;

        // Each series' window slides over a buffer of window + horizon floats: its history's tail, then each prediction.
        var buffers = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var history = histories[i];
            ArgumentOutOfRangeException.ThrowIfLessThan(history.Length, window, nameof(histories));
            buffers[i] = new float[window + horizon];
            for (var t = 0; t < window; t++)
            {
                buffers[i][t] = (float)history[history.Length - window + t];
            }
        }

        var forecasts = new double[count][];
        for (var i = 0; i < count; i++)
        {
            forecasts[i] = new double[horizon];
        }

        var input = new float[count * window];
        var next = new double[count];
        for (var h = 0; h < horizon; h++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (var i = 0; i < count; i++)
            {
                var current = buffers[i].AsSpan(h, window);
                if (windowProblem?.Invoke(current) is { } problem)
                {
                    throw new ForecastException(h == 0 ? $"the series cannot be continued: {problem}" : $"the forecast cannot go on after step {h}: {problem}");
                }

                current.CopyTo(input.AsSpan(i * window, window));
            }

            predict(input, count, next);
            for (var i = 0; i < count; i++)
            {
                if (!double.IsFinite(next[i]) || !float.IsFinite((float)next[i]))
                {
                    throw new ForecastException($"the forecast is not finite at step {h + 1}: the values are too large for the model");
                }

                forecasts[i][h] = next[i];
                buffers[i][window + h] = (float)next[i];
            }
        }

        return forecasts;
    }
}
