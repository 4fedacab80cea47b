namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// A forecaster in the Darts/statsforecast style: fitted afresh on each history it is given, stateless
/// between calls, so one instance serves every origin of a backtest.
/// </summary>
/// <remarks>
/// A history shorter than <see cref="MinimumHistory"/> is refused with <see cref="InsufficientHistoryException"/>;
/// any longer history gives <c>horizon</c> finite values for a finite history (a method that cannot use its
/// full form on a short history falls back to a simpler one, as each class documents).
/// </remarks>
internal interface IForecaster
{
    /// <summary>A short label for tables ("naive", "AR (AIC, max lag 10)").</summary>
    string Name { get; }

    /// <summary>The fewest values <see cref="Forecast"/> accepts.</summary>
    int MinimumHistory { get; }

    /// <summary>Fits on <paramref name="history"/> (oldest first) and returns the next <paramref name="horizon"/> values.</summary>
    /// <exception cref="InsufficientHistoryException">The history has fewer than <see cref="MinimumHistory"/> values.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The history holds a NaN or an infinity.</exception>
    double[] Forecast(ReadOnlySpan<double> history, int horizon);
}

/// <summary>A forecaster was given fewer values than it needs to fit.</summary>
internal sealed class InsufficientHistoryException(string forecaster, int required, int actual)
    : ArgumentException($"{forecaster} needs at least {required} values of history, got {actual}")
{
    public string Forecaster { get; } = forecaster;

    public int Required { get; } = required;

    public int Actual { get; } = actual;
}

/// <summary>The argument checks every forecaster makes.</summary>
internal static class ForecasterChecks
{
    public static void Validate(IForecaster forecaster, ReadOnlySpan<double> history, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (history.Length < forecaster.MinimumHistory)
        {
            throw new InsufficientHistoryException(forecaster.Name, forecaster.MinimumHistory, history.Length);
        }

        for (var i = 0; i < history.Length; i++)
        {
            if (!double.IsFinite(history[i]))
            {
                throw new ArgumentException($"history[{i}] is {history[i]}; forecasters need finite values", nameof(history));
            }
        }
    }
}
